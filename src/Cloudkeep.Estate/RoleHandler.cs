using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>Roles: trust policy, description, session length, boundary, tags and attached policies; the path is fixed at creation.</summary>
internal sealed class RoleHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    /// <summary>The role Organizations makes in every account it creates, through which apply reaches them.</summary>
    public const string AccessRole = "OrganizationAccountAccessRole";

    private static readonly string[] SettingFields = ["description", "maxSessionDuration"];

    public override IReadOnlyCollection<string> FixedFields => ["path"];

    /// <summary>Roles AWS makes and an estate file does not declare: service-linked ones and Organizations' access role.</summary>
    public static bool MadeByAws(string name, string path) => name == AccessRole || path.StartsWith("/aws-service-role/", StringComparison.Ordinal);

    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await Iam.FindAsync("GetRole", [P("RoleName", desired.Name)], cancellationToken) is not { } answer)
        {
            return null;
        }

        var role = answer.Descendants().First(e => e.Name.LocalName == "Role");
        var live = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = IamClient.Child(role, "Path") ?? "/",
            ["trustPolicy"] = Document(IamClient.Child(role, "AssumeRolePolicyDocument")),
            ["maxSessionDuration"] = IamClient.Child(role, "MaxSessionDuration") ?? "3600",
        };
        if (IamClient.Child(role, "Description") is { } description)
        {
            live["description"] = description;
        }

        if (role.Elements().FirstOrDefault(e => e.Name.LocalName == "PermissionsBoundary") is { } boundary)
        {
            live["permissionsBoundary"] = IamClient.Child(boundary, "PermissionsBoundaryArn") ?? "";
        }

        if (desired.Fields.ContainsKey("policies"))
        {
            live["policies"] = await AttachedAsync("Role", desired.Name, cancellationToken);
        }

        if (desired.Fields.ContainsKey("tags"))
        {
            live["tags"] = await TagsAsync("Role", desired.Name, cancellationToken);
        }

        return live;
    }

    public override async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await Iam.ListAsync("ListRoles", [], "Roles", cancellationToken))
            .Where(r => !MadeByAws(IamClient.Child(r, "RoleName") ?? "", IamClient.Child(r, "Path") ?? "/"))
            .Select(r => IamClient.Child(r, "RoleName") ?? "")];

    public override Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken) =>
        DoAsync(journal, "CreateRole",
            [P("RoleName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/"), P("AssumeRolePolicyDocument", resolved.Fields["trustPolicy"])],
            "DeleteRole", [P("RoleName", resolved.Name)], cancellationToken);

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var role = P("RoleName", resolved.Name);
        if (fields.Contains("trustPolicy"))
        {
            await DoAsync(journal, "UpdateAssumeRolePolicy", [role, P("PolicyDocument", resolved.Fields["trustPolicy"])], "UpdateAssumeRolePolicy", [role, P("PolicyDocument", live["trustPolicy"])], cancellationToken);
        }

        if (fields.Contains("description") || fields.Contains("maxSessionDuration"))
        {
            KeyValuePair<string, string>[] Settings(IReadOnlyDictionary<string, string> values) =>
                [role, P("Description", values.GetValueOrDefault("description") ?? ""), P("MaxSessionDuration", values.GetValueOrDefault("maxSessionDuration") ?? "3600")];
            var desired = new Dictionary<string, string>(live.ToDictionary(), StringComparer.Ordinal);
            foreach (var field in SettingFields.Where(fields.Contains))
            {
                desired[field] = resolved.Fields[field];
            }

            await DoAsync(journal, "UpdateRole", Settings(desired), "UpdateRole", Settings(live), cancellationToken);
        }

        if (fields.Contains("permissionsBoundary"))
        {
            var undo = live.TryGetValue("permissionsBoundary", out var old)
                ? ("PutRolePermissionsBoundary", new[] { role, P("PermissionsBoundary", old) })
                : ("DeleteRolePermissionsBoundary", new[] { role });
            await DoAsync(journal, "PutRolePermissionsBoundary", [role, P("PermissionsBoundary", resolved.Fields["permissionsBoundary"])], undo.Item1, undo.Item2, cancellationToken);
        }

        if (fields.Contains("tags"))
        {
            await SyncTagsAsync(journal, "Role", resolved.Name, live.GetValueOrDefault("tags"), resolved.Fields["tags"], cancellationToken);
        }

        if (fields.Contains("policies"))
        {
            await SyncAttachedAsync(journal, "Role", resolved.Name, live.GetValueOrDefault("policies"), resolved.Fields["policies"], cancellationToken);
        }
    }

    public override async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await Iam.FindAsync("GetRole", [P("RoleName", resource.Name)], cancellationToken) is null)
        {
            return;
        }

        await DetachAllAsync(journal, "Role", resource.Name, cancellationToken);
        await Iam.CallAsync("DeleteRole", [P("RoleName", resource.Name)], cancellationToken);
    }
}
