using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Organizations;

/// <summary>
/// Organizational units: a tree under the root, at most five levels deep, each OU stored as a
/// document of the management account; an account's place in the tree is a placement document
/// (none: directly under the root). Service control policies attached to an OU govern every account
/// below it, level by level.
/// </summary>
public sealed class OrganizationalUnits(OrganizationContext organizations)
{
    public const string Kind = "ou";
    public const string PlacementKind = "ou-placement";

    /// <summary>AWS allows OUs five levels deep under the root.</summary>
    public const int MaxDepth = 5;

    /// <summary>AWS's quota of OUs per organization.</summary>
    public const int MaxUnits = 1000;

    public sealed record Unit(string Id, string Name, string ParentId);

    public sealed record Placement(string AccountId, string ParentId);


    public async Task<IReadOnlyList<Unit>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = await organizations.GetIdsAsync(cancellationToken);
        return await organizations.Iam.Store.ListAsync<Unit>(ids.ManagementAccountId, Kind, cancellationToken);
    }

    public async Task<Unit?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var ids = await organizations.GetIdsAsync(cancellationToken);
        return await organizations.Iam.Store.GetAsync<Unit>(ids.ManagementAccountId, Kind, id, cancellationToken);
    }

    public async Task<Unit> RequireAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) ?? throw OrganizationsErrors.UnitNotFound.ToException();

    /// <summary>Whether an id names the root or an existing OU.</summary>
    public async Task<bool> IsParentAsync(OrganizationContext.Ids ids, string id, CancellationToken cancellationToken) =>
        id == ids.RootId || await GetAsync(id, cancellationToken) is not null;

    /// <summary>Refuses an id that names neither the root nor an OU, with <paramref name="missing"/> (ParentNotFoundException unless given).</summary>
    public async Task RequireParentAsync(OrganizationContext.Ids ids, string id, CancellationToken cancellationToken, AwsError? missing = null)
    {
        if (!await IsParentAsync(ids, id, cancellationToken))
        {
            throw (missing ?? OrganizationsErrors.ParentNotFound).ToException();
        }
    }

    /// <summary>The organization's accounts directly under a root or OU, from one read of the placements.</summary>
    public async Task<IReadOnlyList<Storage.Metadata.AccountRecord>> AccountsUnderAsync(OrganizationContext.Ids ids, string parentId, CancellationToken cancellationToken)
    {
        var placements = (await organizations.Iam.Store.ListAsync<Placement>(ids.ManagementAccountId, PlacementKind, cancellationToken))
            .ToDictionary(p => p.AccountId, p => p.ParentId, StringComparer.Ordinal);
        return [.. (await organizations.Accounts.ListAsync(cancellationToken)).Where(a => placements.GetValueOrDefault(a.AccountId, ids.RootId) == parentId)];
    }

    /// <summary>The root or OU an account sits in.</summary>
    public async Task<string> ParentOfAccountAsync(OrganizationContext.Ids ids, string accountId, CancellationToken cancellationToken) =>
        (await organizations.Iam.Store.GetAsync<Placement>(ids.ManagementAccountId, PlacementKind, accountId, cancellationToken))?.ParentId ?? ids.RootId;

    /// <summary>The OUs from the root down to the one that holds the account (empty when it sits under the root).</summary>
    public async Task<IReadOnlyList<string>> PathOfAccountAsync(OrganizationContext.Ids ids, string accountId, CancellationToken cancellationToken)
    {
        var units = (await ListAsync(cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var path = new List<string>();
        var parent = await ParentOfAccountAsync(ids, accountId, cancellationToken);
        while (units.TryGetValue(parent, out var unit) && path.Count <= MaxDepth)
        {
            path.Insert(0, unit.Id);
            parent = unit.ParentId;
        }

        return path;
    }

    /// <summary>How deep a new OU under <paramref name="parentId"/> would be (1 directly under the root).</summary>
    public static int DepthUnder(IReadOnlyList<Unit> units, string parentId)
    {
        var depth = 1;
        var byId = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        while (byId.TryGetValue(parentId, out var parent))
        {
            depth++;
            parentId = parent.ParentId;
        }

        return depth;
    }

    /// <summary>Records where an account sits; the root is recorded by removing the placement.</summary>
    public async Task PlaceAsync(OrganizationContext.Ids ids, string accountId, string parentId, CancellationToken cancellationToken)
    {
        var store = organizations.Iam.Store;
        var current = await store.Documents.GetAsync<Placement>(ids.ManagementAccountId, PlacementKind, accountId, cancellationToken);
        if (parentId == ids.RootId)
        {
            if (current is not null && await store.Documents.DeleteAsync(ids.ManagementAccountId, PlacementKind, accountId, cancellationToken))
            {
                store.Touch();
            }
        }
        else if (current is null)
        {
            await store.InsertAsync(ids.ManagementAccountId, PlacementKind, accountId, accountId, new Placement(accountId, parentId), () => OrganizationsErrors.ConcurrentModification.ToException(), cancellationToken);
        }
        else
        {
            await store.UpdateAsync<Placement>(ids.ManagementAccountId, PlacementKind, accountId, _ => new Placement(accountId, parentId), () => OrganizationsErrors.ConcurrentModification.ToException(), cancellationToken);
        }
    }

    /// <summary>An OU id in AWS's format: "ou-", the root id's suffix, "-", eight random characters.</summary>
    public static string NewId(OrganizationContext.Ids ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return $"ou-{ids.RootId[2..]}-{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8)}";
    }

    public static string Arn(OrganizationContext.Ids ids, string unitId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return $"arn:aws:organizations::{ids.ManagementAccountId}:ou/{ids.OrganizationId}/{unitId}";
    }

    public static JsonObject Shape(OrganizationContext.Ids ids, Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return new JsonObject { ["Id"] = unit.Id, ["Arn"] = Arn(ids, unit.Id), ["Name"] = unit.Name };
    }
}
