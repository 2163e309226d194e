using Cloudkeep.Client;

namespace Cloudkeep.Estate;

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
            live["policies"] = await AttachedAsync("Group", desired.Name, cancellationToken);
        }

        return live;
    }

    public override async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await Iam.ListAsync("ListGroups", [], "Groups", cancellationToken)).Select(g => IamClient.Child(g, "GroupName") ?? "")];

    public override Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken) =>
        DoAsync(journal, "CreateGroup", [P("GroupName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/")], "DeleteGroup", [P("GroupName", resolved.Name)], cancellationToken);

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var group = P("GroupName", resolved.Name);
        if (fields.Contains("path"))
        {
            await DoAsync(journal, "UpdateGroup", [group, P("NewPath", resolved.Fields["path"])], "UpdateGroup", [group, P("NewPath", live.GetValueOrDefault("path") ?? "/")], cancellationToken);
        }

        if (fields.Contains("policies"))
        {
            await SyncAttachedAsync(journal, "Group", resolved.Name, live.GetValueOrDefault("policies"), resolved.Fields["policies"], cancellationToken);
        }
    }

    /// <summary>Removes the members, inline and attached policies (each undoable), then the group.</summary>
    public override async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var group = P("GroupName", resource.Name);
        if (await Iam.FindAsync("GetGroup", [group], cancellationToken) is not { } answer)
        {
            return;
        }

        var members = answer.Descendants().Where(e => e.Name.LocalName == "Users").SelectMany(u => u.Elements()).Select(u => IamClient.Child(u, "UserName")!).ToList();
        foreach (var user in members)
        {
            await DoAsync(journal, "RemoveUserFromGroup", [group, P("UserName", user)], "AddUserToGroup", [group, P("UserName", user)], cancellationToken);
        }

        await DetachAllAsync(journal, "Group", resource.Name, cancellationToken);
        await Iam.CallAsync("DeleteGroup", [group], cancellationToken);
    }
}
