using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// Leases: background work that must run once per estate (lifecycle, later replication and
/// delivery) is done by the node holding its lease. A lease is taken when it is free or expired,
/// renewed by its holder, and lapses by itself when the holder stops, so another node carries on.
/// </summary>
public sealed class LeaseRepository(IMetadataStore store)
{
    /// <summary>Takes or renews the lease until <paramref name="until"/>; false while another holder's lease runs.</summary>
    public async Task<bool> TryTakeAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "INSERT INTO leases (name, holder, until_ms) VALUES (@name, @holder, @until) " +
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms " +
            "WHERE leases.until_ms < @now OR leases.holder = excluded.holder",
            new { name, holder, until = until.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() });
        return changed == 1;
    }

    /// <summary>Gives the lease up at once (a clean stop), so another node need not wait for it to lapse.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder });
    }
}
