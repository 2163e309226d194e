using System.Globalization;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>Customer managed policies: the document is versioned; path and description are fixed at creation.</summary>
internal sealed class PolicyHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    public override IReadOnlyCollection<string> FixedFields => ["path", "description"];

    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        // Found by name, whatever its path: a path change is then a replacement, not a second policy.
        var arn = await ArnAsync(desired, cancellationToken);
        var answer = await Iam.FindAsync("GetPolicy", [P("PolicyArn", arn)], cancellationToken);
        if (answer is null)
        {
            if (await LiveArnAsync(desired.Name, cancellationToken) is not { } other)
            {
                return null;
            }

            arn = other;
            answer = await Iam.CallAsync("GetPolicy", [P("PolicyArn", arn)], cancellationToken);
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

    public override async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await Iam.ListAsync("ListPolicies", [P("Scope", "Local")], "Policies", cancellationToken)).Select(p => IamClient.Child(p, "PolicyName") ?? "")];

    public override async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            P("PolicyName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/"), P("PolicyDocument", resolved.Fields["document"]),
        };
        if (resolved.Fields.TryGetValue("description", out var description))
        {
            parameters.Add(P("Description", description));
        }

        await DoAsync(journal, "CreatePolicy", [.. parameters], "DeletePolicy", [P("PolicyArn", await ArnAsync(resolved, cancellationToken))], cancellationToken);
    }

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (!fields.Contains("document"))
        {
            return;
        }

        var arn = await ArnAsync(resolved, cancellationToken);
        var versions = await Iam.ListAsync("ListPolicyVersions", [P("PolicyArn", arn)], "Versions", cancellationToken);
        var current = IamClient.Child(versions.First(v => IamClient.Child(v, "IsDefaultVersion") == "true"), "VersionId")!;
        if (versions.Count >= 5)
        {
            // IAM keeps five versions; the oldest non-default one makes room, as the console does. It is history, not state, so it is not restored.
            var oldest = versions.Where(v => IamClient.Child(v, "IsDefaultVersion") != "true")
                .OrderBy(v => DateTimeOffset.Parse(IamClient.Child(v, "CreateDate") ?? "", CultureInfo.InvariantCulture)).First();
            await Iam.CallAsync("DeletePolicyVersion", [P("PolicyArn", arn), P("VersionId", IamClient.Child(oldest, "VersionId")!)], cancellationToken);
        }

        var created = await Iam.CallAsync("CreatePolicyVersion", [P("PolicyArn", arn), P("PolicyDocument", resolved.Fields["document"]), P("SetAsDefault", "true")], cancellationToken);
        var version = IamClient.Descendant(created, "VersionId")!;
        journal.Done("CreatePolicyVersion", async () =>
        {
            await Iam.CallAsync("SetDefaultPolicyVersion", [P("PolicyArn", arn), P("VersionId", current)], CancellationToken.None);
            await Iam.CallAsync("DeletePolicyVersion", [P("PolicyArn", arn), P("VersionId", version)], CancellationToken.None);
        });
    }

    /// <summary>Detaches the policy from every user, group and role (undoable), drops its old versions, then deletes it.</summary>
    public override async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await LiveArnAsync(resource.Name, cancellationToken) is not { } arn)
        {
            return;
        }

        foreach (var (entity, list, member) in new[] { ("User", "PolicyUsers", "UserName"), ("Group", "PolicyGroups", "GroupName"), ("Role", "PolicyRoles", "RoleName") })
        {
            var entities = await Iam.ListAsync("ListEntitiesForPolicy", [P("PolicyArn", arn), P("EntityFilter", entity)], list, cancellationToken);
            foreach (var name in entities.Select(e => IamClient.Child(e, member)!))
            {
                await DoAsync(journal, $"Detach{entity}Policy", [P(member, name), P("PolicyArn", arn)], $"Attach{entity}Policy", [P(member, name), P("PolicyArn", arn)], cancellationToken);
            }
        }

        foreach (var version in await Iam.ListAsync("ListPolicyVersions", [P("PolicyArn", arn)], "Versions", cancellationToken))
        {
            if (IamClient.Child(version, "IsDefaultVersion") != "true")
            {
                await Iam.CallAsync("DeletePolicyVersion", [P("PolicyArn", arn), P("VersionId", IamClient.Child(version, "VersionId")!)], cancellationToken);
            }
        }

        await Iam.CallAsync("DeletePolicy", [P("PolicyArn", arn)], cancellationToken);
    }

    private async Task<string?> LiveArnAsync(string name, CancellationToken cancellationToken) =>
        (await Iam.ListAsync("ListPolicies", [P("Scope", "Local")], "Policies", cancellationToken))
            .Where(p => IamClient.Child(p, "PolicyName") == name).Select(p => IamClient.Child(p, "Arn")).FirstOrDefault();
}
