using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;
using Dapper;

namespace Cloudkeep.Storage.Snapshots;

/// <summary>
/// Deletes blobs that a committed metadata change stopped naming (an overwrite, DeleteObject, a lifecycle
/// expiry, an aborted upload's parts), unless an estate snapshot holds a lease: its copy of the metadata may
/// still name them, so they are listed in <c>pending_blob_deletes</c> (durable, so a restart forgets none) and
/// deleted by <see cref="ReclaimDeferredAsync"/> once no snapshot holds a lease.
/// <para>
/// Why this is enough: a snapshot takes its lease (committed) before it reads the metadata, so a blob its
/// metadata names was still named when the lease existed; the delete of such a blob comes after the change
/// that stopped naming it, hence after the lease, and the lease check made then sees it. A blob whose delete
/// saw no lease was unnamed before any running snapshot read the metadata, so no snapshot needs it. Blobs a
/// failed write leaves behind (never named by a committed row) are deleted at once, through the blob store. A delete
/// the blob backend could not do (unreachable) is deferred the same way, so the reclaim job retries it.
/// </para>
/// </summary>
public sealed class BlobReclaimer(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    private const int Batch = 1000;

    public SnapshotLeases Leases { get; } = new(store);

    /// <summary>Deletes the blobs now, or defers them while a snapshot holds a lease.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<BlobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (await Leases.AnyActiveAsync(now, cancellationToken))
        {
            await DeferAsync(ids, now, cancellationToken);
            return;
        }

        var failed = new List<BlobId>();
        foreach (var id in ids)
        {
            try
            {
                await blobs.DeleteAsync(id, cancellationToken);
            }
            catch (BlobStoreUnavailableException)
            {
                failed.Add(id);
            }
        }

        // A backend that could not delete now (unreachable, failing) gets the delete again from the reclaim job:
        // the change that stopped naming these blobs is committed, and its caller is answered as such.
        if (failed.Count > 0)
        {
            await DeferAsync(failed, now, cancellationToken);
        }
    }

    /// <summary>Records deletes for the reclaim job (<see cref="ReclaimDeferredAsync"/>), which does them when no snapshot holds a lease.</summary>
    public Task DeferAsync(IEnumerable<BlobId> ids, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var id in ids)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO pending_blob_deletes (blob_id, deferred_ms) VALUES (@id, @at) ON CONFLICT (blob_id) DO NOTHING",
                        new { id = id.ToString(), at = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
                }

                return 0;
            },
            cancellationToken);

    /// <summary>How many deletes wait for snapshots to finish.</summary>
    public async Task<long> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM pending_blob_deletes", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// When no snapshot holds an unexpired lease (lapsed ones are removed first): deletes the deferred blobs and
    /// their rows, in batches; returns how many. With nothing deferred it only reads. Running it on two nodes at
    /// once is harmless (both deletes are idempotent).
    /// </summary>
    public async Task<int> ReclaimDeferredAsync(CancellationToken cancellationToken)
    {
        if (await PendingAsync(cancellationToken) == 0)
        {
            return 0;
        }

        var removed = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            await Leases.RemoveLapsedAsync(now, cancellationToken);
            if (await Leases.AnyActiveAsync(now, cancellationToken))
            {
                return removed;
            }

            List<string> batch;
            await using (var connection = await store.OpenAsync(cancellationToken))
            {
                batch = (await connection.QueryAsync<string>(new CommandDefinition(
                    $"SELECT blob_id FROM pending_blob_deletes ORDER BY blob_id LIMIT {Batch}", cancellationToken: cancellationToken))).ToList();
            }

            if (batch.Count == 0)
            {
                return removed;
            }

            foreach (var id in batch)
            {
                if (BlobId.TryParse(id, out var blob))
                {
                    await blobs.DeleteAsync(blob, cancellationToken);
                }
            }

            await store.InTransactionAsync(
                async (connection, transaction) =>
                {
                    foreach (var id in batch)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(
                            "DELETE FROM pending_blob_deletes WHERE blob_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
                    }

                    return batch.Count;
                },
                cancellationToken);
            removed += batch.Count;
        }
    }
}
