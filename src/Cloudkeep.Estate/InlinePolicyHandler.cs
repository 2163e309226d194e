using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>Inline policies of groups and roles (resource name "owner/policy").</summary>
internal sealed class InlinePolicyHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId, string owner) : IamHandler(iam, accountId)
{
    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var (name, policy) = desired.InlineParts;
        var answer = await Iam.FindAsync($"Get{owner}Policy", [P($"{owner}Name", name), P("PolicyName", policy)], cancellationToken);
        return answer is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["document"] = Document(IamClient.Descendant(answer, "PolicyDocument")) };
    }

    /// <summary>Every inline policy of every group or role the estate may manage, as "owner/policy".</summary>
    public override async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var owners = await Iam.ListAsync($"List{owner}s", [], $"{owner}s", cancellationToken);
        var names = new List<string>();
        foreach (var entity in owners)
        {
            var entityName = IamClient.Child(entity, $"{owner}Name")!;
            if (owner == "Role" && RoleHandler.MadeByAws(entityName, IamClient.Child(entity, "Path") ?? "/"))
            {
                continue;
            }

            var policies = await Iam.ListAsync($"List{owner}Policies", [P($"{owner}Name", entityName)], "PolicyNames", cancellationToken);
            names.AddRange(policies.Select(p => $"{entityName}/{p.Value}"));
        }

        return names;
    }

    public override Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var (name, policy) = resolved.InlineParts;
        return DoAsync(journal, $"Put{owner}Policy", Put(resolved, resolved.Fields["document"]), $"Delete{owner}Policy", [P($"{owner}Name", name), P("PolicyName", policy)], cancellationToken);
    }

    public override Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken) =>
        DoAsync(journal, $"Put{owner}Policy", Put(resolved, resolved.Fields["document"]), $"Put{owner}Policy", Put(resolved, live["document"]), cancellationToken);

    public override async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var (name, policy) = resource.InlineParts;
        if (await ReadAsync(resource, cancellationToken) is { } live)
        {
            await DoAsync(journal, $"Delete{owner}Policy", [P($"{owner}Name", name), P("PolicyName", policy)], $"Put{owner}Policy", Put(resource, live["document"]), cancellationToken);
        }
    }

    private KeyValuePair<string, string>[] Put(EstateResource resource, string document)
    {
        var (name, policy) = resource.InlineParts;
        return [P($"{owner}Name", name), P("PolicyName", policy), P("PolicyDocument", document)];
    }
}
