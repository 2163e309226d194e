using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Organizational units of the management account, named by their path from the root
/// ("workloads/prod"). They have no fields of their own: a path is created (its parent first) or
/// deleted (AWS refuses an OU that still holds accounts or OUs).
/// </summary>
internal sealed class OrganizationalUnitHandler(OrganizationsClient organizations) : IResourceHandler
{
    public IReadOnlyCollection<string> FixedFields => [];

    /// <summary>The OU's id, or null when the path does not exist.</summary>
    public async Task<string?> FindIdAsync(string path, CancellationToken cancellationToken)
    {
        var parent = await organizations.RootIdAsync(cancellationToken);
        foreach (var name in path.Split('/'))
        {
            if (parent is null)
            {
                return null;
            }

            var units = await organizations.ListAsync("ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent }, "OrganizationalUnits", cancellationToken);
            parent = units.FirstOrDefault(u => u["Name"]?.GetValue<string>() == name)?["Id"]?.GetValue<string>();
        }

        return parent;
    }

    /// <summary>Every OU's path and id, parents before children.</summary>
    public async Task<List<(string Path, string Id)>> TreeAsync(CancellationToken cancellationToken)
    {
        var tree = new List<(string Path, string Id)>();
        if (await organizations.RootIdAsync(cancellationToken) is not { } root)
        {
            return tree;
        }

        var pending = new Queue<(string Path, string Id)>([("", root)]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var unit in await organizations.ListAsync("ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent.Id }, "OrganizationalUnits", cancellationToken))
            {
                var path = parent.Path.Length == 0 ? unit["Name"]!.GetValue<string>() : $"{parent.Path}/{unit["Name"]!.GetValue<string>()}";
                var entry = (path, unit["Id"]!.GetValue<string>());
                tree.Add(entry);
                pending.Enqueue(entry);
            }
        }

        return tree;
    }

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken) =>
        await FindIdAsync(desired.Name, cancellationToken) is null ? null : new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await TreeAsync(cancellationToken)).Select(t => t.Path)];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        await organizations.EnsureOrganizationAsync(cancellationToken);
        var slash = resolved.Name.LastIndexOf('/');
        var parent = slash < 0 ? await organizations.RootIdAsync(cancellationToken) : await FindIdAsync(resolved.Name[..slash], cancellationToken);
        if (parent is null)
        {
            throw new EstateException($"{resolved.Address}: its parent does not exist");
        }

        var created = await organizations.CallAsync("CreateOrganizationalUnit", new JsonObject { ["ParentId"] = parent, ["Name"] = resolved.Name[(slash + 1)..] }, cancellationToken);
        var id = created["OrganizationalUnit"]!["Id"]!.GetValue<string>();
        journal.Done("CreateOrganizationalUnit", () => organizations.CallAsync("DeleteOrganizationalUnit", new JsonObject { ["OrganizationalUnitId"] = id }, CancellationToken.None));
    }

    public Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindIdAsync(resource.Name, cancellationToken) is { } id)
        {
            await organizations.CallAsync("DeleteOrganizationalUnit", new JsonObject { ["OrganizationalUnitId"] = id }, cancellationToken);
        }
    }
}
