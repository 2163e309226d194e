using Dapper;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Snapshots;

/// <summary>
/// The leases estate snapshots hold in the metadata store, which every node reads before it deletes a blob.
/// Each snapshot has its own row (several may run at once); a row lapses by itself when its holder stops
/// renewing it (a killed backup), so a crash never defers deletes for longer than one lease length.
/// </summary>
public sealed class SnapshotLeases(IMetadataStore store)
{
    private const string ActiveSql = "SELECT COUNT(*) FROM snapshot_leases WHERE until_ms >= @now";

    /// <summary>Takes a new lease; it must be committed before the snapshot reads any metadata.</summary>
    public async Task TakeAsync(string id, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO snapshot_leases (id, holder, started_ms, until_ms) VALUES (@id, @holder, @started, @until)",
            new { id, holder, started = now.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Extends a lease that is still running; false when it has lapsed (or was removed), in which case blobs
    /// the snapshot names may already be gone and the snapshot must be abandoned.
    /// </summary>
    public async Task<bool> RenewAsync(string id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE snapshot_leases SET until_ms = @until WHERE id = @id AND until_ms >= @now",
            new { id, until = until.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM snapshot_leases WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether any snapshot holds an unexpired lease: read fresh for every delete (one indexed count over a near-empty table).</summary>
    public async Task<bool> AnyActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await store.QueryRowAsync<long>(ActiveSql, [("@now", now.ToUnixTimeMilliseconds())], cancellationToken) > 0;

    /// <summary>Removes lapsed leases (their snapshots were killed); returns how many.</summary>
    public async Task<int> RemoveLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM snapshot_leases WHERE until_ms < @now", new { now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }
}
