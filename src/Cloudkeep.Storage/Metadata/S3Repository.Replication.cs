using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The replication queue: a version is queued in the transaction that writes it, and leaves the
/// queue in the transaction that records its outcome on the source version, so a crash at any point
/// leaves it either queued or done. Writing a replica is idempotent (a destination that already has
/// the version id keeps it), which makes a retry after a crash deliver it once.
/// </summary>
public sealed partial class S3Repository
{
    private static readonly string[] VersionTables = ["s3_objects", "s3_versions"];

    private const string TaskColumns = "bucket AS Bucket, object_key AS ObjectKey, seq AS Sequence, version_id AS VersionId, queued_at AS QueuedAt, attempts AS Attempts";

    private static Task<int> EnqueueReplicationAsync(DbConnection connection, DbTransaction transaction, S3ObjectRecord record, long sequence) =>
        connection.ExecuteAsync(
            "INSERT INTO s3_replication_queue (bucket, object_key, seq, version_id, queued_at, attempts, next_at) " +
            "VALUES (@Bucket, @Key, @sequence, @VersionId, @at, 0, @at) ON CONFLICT (bucket, object_key, seq) DO NOTHING",
            new { record.Bucket, record.Key, sequence, record.VersionId, at = record.LastModified.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>
    /// Queued versions due by <paramref name="now"/>, oldest first; a version waits while an older
    /// version of its key is still queued, so a destination receives a key's versions in order.
    /// </summary>
    public async Task<IReadOnlyList<S3ReplicationTask>> DueReplicationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TaskRow>(
            $"SELECT {TaskColumns} FROM s3_replication_queue q WHERE next_at <= @now " +
            "AND NOT EXISTS (SELECT 1 FROM s3_replication_queue p WHERE p.bucket = q.bucket AND p.object_key = q.object_key AND p.seq < q.seq) " +
            "ORDER BY next_at, queued_at LIMIT @limit",
            new { now = now.ToUnixTimeMilliseconds(), limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Whether any queued version is due by <paramref name="now"/> (a read, so an idle server writes nothing to find out).</summary>
    public async Task<bool> AnyReplicationDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM s3_replication_queue WHERE next_at <= @now LIMIT 1) x", new { now = now.ToUnixTimeMilliseconds() }) > 0;
    }

    /// <summary>How many versions wait to be replicated.</summary>
    public async Task<long> ReplicationBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM s3_replication_queue");
    }

    /// <summary>Tries the task again at <paramref name="nextAt"/>.</summary>
    public async Task PostponeReplicationAsync(S3ReplicationTask task, DateTimeOffset nextAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE s3_replication_queue SET attempts = attempts + 1, next_at = @next WHERE bucket = @Bucket AND object_key = @Key AND seq = @Sequence",
            new { task.Bucket, task.Key, task.Sequence, next = nextAt.ToUnixTimeMilliseconds() });
    }

    /// <summary>
    /// Takes the task off the queue and rewrites its source version's metadata document (its
    /// replication status) in one transaction; a version deleted meanwhile only leaves the queue.
    /// </summary>
    public Task FinishReplicationAsync(S3ReplicationTask task, Func<string, string> rewriteMeta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(rewriteMeta);
        return _store.InKeyTransactionAsync(
            KeyLock(task.Bucket, task.Key),
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    "DELETE FROM s3_replication_queue WHERE bucket = @Bucket AND object_key = @Key AND seq = @Sequence", new { task.Bucket, task.Key, task.Sequence }, transaction);
                foreach (var table in VersionTables)
                {
                    var meta = await connection.QuerySingleOrDefaultAsync<string>(
                        $"SELECT meta FROM {table} WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId" + _forUpdate,
                        new { task.Bucket, task.Key, task.VersionId }, transaction);
                    if (meta is not null)
                    {
                        await connection.ExecuteAsync(
                            $"UPDATE {table} SET meta = @meta WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId",
                            new { task.Bucket, task.Key, task.VersionId, meta = rewriteMeta(meta) }, transaction);
                        break;
                    }
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Stores a replica under its source's version id as the key's newest version. False, and
    /// nothing written, when the bucket already holds that version id (a retried delivery).
    /// </summary>
    public Task<bool> PutReplicaAsync(S3ObjectRecord replica, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return _store.InKeyTransactionAsync(
            KeyLock(replica.Bucket, replica.Key),
            async (connection, transaction) =>
            {
                var parameters = new { replica.Bucket, replica.Key, replica.VersionId };
                var present = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM s3_objects WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId", parameters, transaction)
                    + await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM s3_versions WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId", parameters, transaction);
                if (present > 0)
                {
                    return false;
                }

                await UpsertObjectAsync(connection, transaction, replica, S3Versioning.Enabled);
                return true;
            },
            cancellationToken);
    }

    private sealed class TaskRow
    {
        public string Bucket { get; set; } = "";

        public string ObjectKey { get; set; } = "";

        public long Sequence { get; set; }

        public string VersionId { get; set; } = "";

        public long QueuedAt { get; set; }

        public long Attempts { get; set; }

        public S3ReplicationTask ToRecord() => new(Bucket, ObjectKey, Sequence, VersionId, DateTimeOffset.FromUnixTimeMilliseconds(QueuedAt), (int)Attempts);
    }
}
