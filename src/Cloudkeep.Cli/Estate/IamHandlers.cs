using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Cloudkeep.Cli.Estate;

/// <summary>Shared pieces of the IAM resource handlers.</summary>
internal abstract class IamHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IResourceHandler
{
    public IamClient Iam { get; } = iam;

    public abstract Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken);

    public abstract Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken);

    public abstract Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken);

    protected static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    /// <summary>IAM returns policy documents URL-encoded.</summary>
    protected static string Document(string? encoded) => encoded is null ? "" : CanonicalJson.Parse(Uri.UnescapeDataString(encoded));

    protected async Task<string> ArnAsync(EstateResource resource, CancellationToken cancellationToken) =>
        (await EstateReferences.ArnAsync(resource, async _ => await accountId(cancellationToken)))!;

    protected static List<string> Strings(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(n => n!.GetValue<string>())];

    protected static Dictionary<string, string> Map(string json) => JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    protected static Exception Immutable(EstateResource resource, string field) =>
        new EstateException($"{resource.Address}: '{field}' cannot be changed in place (the resource would have to be replaced, which is not supported yet)");

    /// <summary>Attaches the desired managed policies that are missing and detaches the others.</summary>
    protected async Task SyncAttachedAsync(string ownerParameter, string owner, string attach, string detach, string? liveJson, string desiredJson, CancellationToken cancellationToken)
    {
        var live = liveJson is null ? [] : Strings(liveJson);
        var desired = Strings(desiredJson);
        foreach (var arn in desired.Except(live))
        {
            await Iam.CallAsync(attach, [P(ownerParameter, owner), P("PolicyArn", arn)], cancellationToken);
        }

        foreach (var arn in live.Except(desired))
        {
            await Iam.CallAsync(detach, [P(ownerParameter, owner), P("PolicyArn", arn)], cancellationToken);
        }
    }

    protected async Task<string> AttachedAsync(string action, string ownerParameter, string owner, CancellationToken cancellationToken)
    {
        var members = await Iam.ListAsync(action, [P(ownerParameter, owner)], "AttachedPolicies", cancellationToken);
        return CanonicalJson.StringList(members.Select(m => IamClient.Child(m, "PolicyArn") ?? ""));
    }
}

/// <summary>The account alias and the password policy.</summary>
internal sealed class AccountSettingsHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        if (desired.Fields.ContainsKey("alias"))
        {
            var aliases = await Iam.ListAsync("ListAccountAliases", [], "AccountAliases", cancellationToken);
            if (aliases.FirstOrDefault() is { } alias)
            {
                live["alias"] = alias.Value;
            }
        }

        if (desired.Fields.Keys.Any(k => k.StartsWith("passwordPolicy.", StringComparison.Ordinal))
            && await Iam.FindAsync("GetAccountPasswordPolicy", [], cancellationToken) is { } answer
            && answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "PasswordPolicy") is { } policy)
        {
            foreach (var element in policy.Elements())
            {
                var name = char.ToLowerInvariant(element.Name.LocalName[0]) + element.Name.LocalName[1..];
                live[$"passwordPolicy.{name}"] = element.Value;
            }
        }

        return live;
    }

    public override Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        if (fields.Contains("alias"))
        {
            if (live.TryGetValue("alias", out var old))
            {
                await Iam.CallAsync("DeleteAccountAlias", [P("AccountAlias", old)], cancellationToken);
            }

            await Iam.CallAsync("CreateAccountAlias", [P("AccountAlias", resolved.Fields["alias"])], cancellationToken);
        }

        if (fields.Any(f => f.StartsWith("passwordPolicy.", StringComparison.Ordinal)))
        {
            // UpdateAccountPasswordPolicy resets every setting it is not given, so all desired ones go together.
            var parameters = resolved.Fields
                .Where(p => p.Key.StartsWith("passwordPolicy.", StringComparison.Ordinal))
                .Select(p => P(char.ToUpperInvariant(p.Key["passwordPolicy.".Length]) + p.Key[("passwordPolicy.".Length + 1)..], p.Value));
            await Iam.CallAsync("UpdateAccountPasswordPolicy", parameters, cancellationToken);
        }
    }
}

/// <summary>Customer managed policies: the document is versioned, path and description are fixed at creation.</summary>
internal sealed class PolicyHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var arn = await ArnAsync(desired, cancellationToken);
        if (await Iam.FindAsync("GetPolicy", [P("PolicyArn", arn)], cancellationToken) is not { } answer)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = IamClient.Descendant(answer, "Path") ?? "/" };
        if (IamClient.Descendant(answer, "Description") is { } description)
        {
            live["description"] = description;
        }

        var version = IamClient.Descendant(answer, "DefaultVersionId") ?? "v1";
        var document = await Iam.CallAsync("GetPolicyVersion", [P("PolicyArn", arn), P("VersionId", version)], cancellationToken);
        live["document"] = Document(IamClient.Descendant(document, "Document"));
        return live;
    }

    public override async Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            P("PolicyName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/"), P("PolicyDocument", resolved.Fields["document"]),
        };
        if (resolved.Fields.TryGetValue("description", out var description))
        {
            parameters.Add(P("Description", description));
        }

        await Iam.CallAsync("CreatePolicy", parameters, cancellationToken);
    }

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        if (fields.FirstOrDefault(f => f != "document") is { } fixedField)
        {
            throw Immutable(resolved, fixedField);
        }

        var arn = await ArnAsync(resolved, cancellationToken);
        var versions = await Iam.ListAsync("ListPolicyVersions", [P("PolicyArn", arn)], "Versions", cancellationToken);
        if (versions.Count >= 5)
        {
            // IAM keeps five versions; the oldest non-default one makes room, as the console does.
            var oldest = versions.Where(v => IamClient.Child(v, "IsDefaultVersion") != "true")
                .OrderBy(v => DateTimeOffset.Parse(IamClient.Child(v, "CreateDate") ?? "", CultureInfo.InvariantCulture)).First();
            await Iam.CallAsync("DeletePolicyVersion", [P("PolicyArn", arn), P("VersionId", IamClient.Child(oldest, "VersionId")!)], cancellationToken);
        }

        await Iam.CallAsync("CreatePolicyVersion", [P("PolicyArn", arn), P("PolicyDocument", resolved.Fields["document"]), P("SetAsDefault", "true")], cancellationToken);
    }
}

/// <summary>Groups and their attached managed policies.</summary>
internal sealed class GroupHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await Iam.FindAsync("GetGroup", [P("GroupName", desired.Name)], cancellationToken) is not { } answer)
        {
            return null;
        }

        var group = answer.Descendants().First(e => e.Name.LocalName == "Group");
        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = IamClient.Child(group, "Path") ?? "/" };
        if (desired.Fields.ContainsKey("policies"))
        {
            live["policies"] = await AttachedAsync("ListAttachedGroupPolicies", "GroupName", desired.Name, cancellationToken);
        }

        return live;
    }

    public override Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken) =>
        Iam.CallAsync("CreateGroup", [P("GroupName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/")], cancellationToken);

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        foreach (var field in fields)
        {
            switch (field)
            {
                case "path":
                    await Iam.CallAsync("UpdateGroup", [P("GroupName", resolved.Name), P("NewPath", resolved.Fields["path"])], cancellationToken);
                    break;
                case "policies":
                    await SyncAttachedAsync("GroupName", resolved.Name, "AttachGroupPolicy", "DetachGroupPolicy", live.GetValueOrDefault("policies"), resolved.Fields["policies"], cancellationToken);
                    break;
            }
        }
    }
}

/// <summary>Inline policies of groups and roles (resource name "owner/policy").</summary>
internal sealed class InlinePolicyHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId, string owner) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var (name, policy) = desired.InlineParts;
        var answer = await Iam.FindAsync($"Get{owner}Policy", [P($"{owner}Name", name), P("PolicyName", policy)], cancellationToken);
        return answer is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["document"] = Document(IamClient.Descendant(answer, "PolicyDocument")) };
    }

    public override Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken) => PutAsync(resolved, cancellationToken);

    public override Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        PutAsync(resolved, cancellationToken);

    private Task<XElement> PutAsync(EstateResource resolved, CancellationToken cancellationToken)
    {
        var (name, policy) = resolved.InlineParts;
        return Iam.CallAsync($"Put{owner}Policy", [P($"{owner}Name", name), P("PolicyName", policy), P("PolicyDocument", resolved.Fields["document"])], cancellationToken);
    }
}

/// <summary>Users: path, tags, group memberships and console access (a login profile whose first password must be changed).</summary>
internal sealed class UserHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId, SecretsFile? secrets) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await Iam.FindAsync("GetUser", [P("UserName", desired.Name)], cancellationToken) is not { } answer)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = IamClient.Descendant(answer, "Path") ?? "/" };
        if (desired.Fields.ContainsKey("tags"))
        {
            var tags = await Iam.ListAsync("ListUserTags", [P("UserName", desired.Name)], "Tags", cancellationToken);
            live["tags"] = CanonicalJson.StringMap(tags.Select(t => KeyValuePair.Create(IamClient.Child(t, "Key") ?? "", IamClient.Child(t, "Value") ?? "")));
        }

        if (desired.Fields.ContainsKey("groups"))
        {
            var groups = await Iam.ListAsync("ListGroupsForUser", [P("UserName", desired.Name)], "Groups", cancellationToken);
            live["groups"] = CanonicalJson.StringList(groups.Select(g => IamClient.Child(g, "GroupName") ?? ""));
        }

        if (desired.Fields.ContainsKey("console"))
        {
            live["console"] = await Iam.FindAsync("GetLoginProfile", [P("UserName", desired.Name)], cancellationToken) is null ? "false" : "true";
        }

        return live;
    }

    public override Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken) =>
        Iam.CallAsync("CreateUser", [P("UserName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/")], cancellationToken);

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var user = P("UserName", resolved.Name);
        foreach (var field in fields)
        {
            switch (field)
            {
                case "path":
                    await Iam.CallAsync("UpdateUser", [user, P("NewPath", resolved.Fields["path"])], cancellationToken);
                    break;
                case "tags":
                    var desired = Map(resolved.Fields["tags"]);
                    var old = live.TryGetValue("tags", out var tags) ? Map(tags) : [];
                    var stale = old.Keys.Except(desired.Keys).ToList();
                    if (stale.Count > 0)
                    {
                        await Iam.CallAsync("UntagUser", [user, .. stale.Select((k, i) => P($"TagKeys.member.{i + 1}", k))], cancellationToken);
                    }

                    if (desired.Count > 0)
                    {
                        await Iam.CallAsync("TagUser", [user, .. desired.SelectMany((t, i) => new[] { P($"Tags.member.{i + 1}.Key", t.Key), P($"Tags.member.{i + 1}.Value", t.Value) })], cancellationToken);
                    }

                    break;
                case "groups":
                    var want = Strings(resolved.Fields["groups"]);
                    var have = live.TryGetValue("groups", out var groups) ? Strings(groups) : [];
                    foreach (var group in want.Except(have))
                    {
                        await Iam.CallAsync("AddUserToGroup", [user, P("GroupName", group)], cancellationToken);
                    }

                    foreach (var group in have.Except(want))
                    {
                        await Iam.CallAsync("RemoveUserFromGroup", [user, P("GroupName", group)], cancellationToken);
                    }

                    break;
                case "console" when resolved.Fields["console"] == "true":
                    var file = secrets ?? throw new EstateException($"{resolved.Address}: console access creates a password, and no secrets file was given (--secrets-file)");
                    var password = SecretsFile.NewPassword();
                    await Iam.CallAsync("CreateLoginProfile", [user, P("Password", password), P("PasswordResetRequired", "true")], cancellationToken);
                    file.Record(resolved.Account, resolved.Name, "initialPassword", password);
                    break;
                case "console":
                    await Iam.CallAsync("DeleteLoginProfile", [user], cancellationToken);
                    break;
            }
        }
    }
}

/// <summary>Roles: trust policy, description, session length, boundary and attached policies.</summary>
internal sealed class RoleHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
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
            live["policies"] = await AttachedAsync("ListAttachedRolePolicies", "RoleName", desired.Name, cancellationToken);
        }

        return live;
    }

    public override Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken) =>
        Iam.CallAsync("CreateRole", [P("RoleName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/"), P("AssumeRolePolicyDocument", resolved.Fields["trustPolicy"])], cancellationToken);

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var role = P("RoleName", resolved.Name);
        if (fields.Contains("path"))
        {
            throw Immutable(resolved, "path");
        }

        if (fields.Contains("trustPolicy"))
        {
            await Iam.CallAsync("UpdateAssumeRolePolicy", [role, P("PolicyDocument", resolved.Fields["trustPolicy"])], cancellationToken);
        }

        if (fields.Contains("description") || fields.Contains("maxSessionDuration"))
        {
            var parameters = new List<KeyValuePair<string, string>> { role };
            if (fields.Contains("description"))
            {
                parameters.Add(P("Description", resolved.Fields["description"]));
            }

            if (fields.Contains("maxSessionDuration"))
            {
                parameters.Add(P("MaxSessionDuration", resolved.Fields["maxSessionDuration"]));
            }

            await Iam.CallAsync("UpdateRole", parameters, cancellationToken);
        }

        if (fields.Contains("permissionsBoundary"))
        {
            await Iam.CallAsync("PutRolePermissionsBoundary", [role, P("PermissionsBoundary", resolved.Fields["permissionsBoundary"])], cancellationToken);
        }

        if (fields.Contains("policies"))
        {
            await SyncAttachedAsync("RoleName", resolved.Name, "AttachRolePolicy", "DetachRolePolicy", live.GetValueOrDefault("policies"), resolved.Fields["policies"], cancellationToken);
        }
    }
}
