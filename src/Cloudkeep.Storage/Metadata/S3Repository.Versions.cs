using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// Object versions: a key's current version lives in s3_objects, the versions it replaced in
/// s3_versions. Every change that touches both happens in one transaction that first locks the
/// key's current row (PostgreSQL) or the database (SQLite's single writer).
/// </summary>
public sealed partial class S3Repository
{
    private const string NoncurrentColumns = "bucket AS Bucket, object_key AS ObjectKey, blobs AS Blobs, size AS Size, etag AS ETag, last_modified AS LastModified, owner_account AS OwnerAccount, meta AS Meta, inline_data AS InlineData, " + VersionColumns;

    /// <summary>
    /// A version of the key, delete markers included: the current one when <paramref name="versionId"/>
    /// is null, else the one with that id (current or not). Null when there is none.
    /// </summary>
    public async Task<S3VersionEntry?> GetVersionAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        if (versionId is null)
        {
            var current = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
                $"SELECT {ObjectColumns} FROM s3_objects WHERE bucket = @bucket AND object_key = @key", new { bucket, key });
            return current is null ? null : new S3VersionEntry(current.ToRecord(), IsLatest: true);
        }

        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
            $"SELECT {ObjectColumns} FROM s3_objects WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId", new { bucket, key, versionId });
        if (row is not null)
        {
            return new S3VersionEntry(row.ToRecord(), IsLatest: true);
        }

        row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
            $"SELECT {NoncurrentColumns} FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId", new { bucket, key, versionId });
        return row is null ? null : new S3VersionEntry(row.ToRecord(), IsLatest: false);
    }

    /// <summary>
    /// Removes one version for good, if <paramref name="mayDelete"/> (judged on the row as locked in
    /// this transaction, so a retention set meanwhile is seen) allows it. When it was the current
    /// one, the newest noncurrent version (a delete marker too) becomes current, as S3 does.
    /// </summary>
    public Task<S3VersionDeletion> DeleteVersionAsync(string bucket, string key, string versionId, Func<S3ObjectRecord, bool>? mayDelete, CancellationToken cancellationToken) =>
        _store.InKeyTransactionAsync(
            KeyLock(bucket, key),
            async (connection, transaction) =>
            {
                var current = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
                    $"SELECT {ObjectColumns} FROM s3_objects WHERE bucket = @bucket AND object_key = @key" + _forUpdate, new { bucket, key }, transaction);
                if (current is null || current.VersionId != versionId)
                {
                    var noncurrent = (await connection.QuerySingleOrDefaultAsync<ObjectRow>(
                        $"SELECT {NoncurrentColumns} FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId" + _forUpdate,
                        new { bucket, key, versionId }, transaction))?.ToRecord();
                    if (noncurrent is null || mayDelete?.Invoke(noncurrent) == false)
                    {
                        return new S3VersionDeletion(null, Refused: noncurrent is not null);
                    }

                    await connection.ExecuteAsync(
                        "DELETE FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId", new { bucket, key, versionId }, transaction);
                    return new S3VersionDeletion(noncurrent, Refused: false);
                }

                if (mayDelete?.Invoke(current.ToRecord()) == false)
                {
                    return new S3VersionDeletion(null, Refused: true);
                }

                await connection.ExecuteAsync("DELETE FROM s3_objects WHERE bucket = @bucket AND object_key = @key", new { bucket, key }, transaction);
                var newest = await LatestNoncurrentSequenceAsync(connection, transaction, bucket, key);
                if (newest > 0)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO s3_objects (bucket, object_key, blobs, size, etag, last_modified, owner_account, meta, inline_data, version_id, delete_marker, seq) " +
                        "SELECT bucket, object_key, blobs, size, etag, last_modified, owner_account, meta, inline_data, version_id, delete_marker, seq FROM s3_versions " +
                        "WHERE bucket = @bucket AND object_key = @key AND seq = @newest",
                        new { bucket, key, newest }, transaction);
                    await connection.ExecuteAsync(
                        "DELETE FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND seq = @newest", new { bucket, key, newest }, transaction);
                }

                return new S3VersionDeletion(current.ToRecord(), Refused: false);
            },
            cancellationToken);

    /// <summary>Changes one version's metadata document (tags, ACL); false when it no longer exists or is a delete marker.</summary>
    public async Task<bool> UpdateVersionMetaAsync(string bucket, string key, string versionId, string meta, string ownerAccount, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var parameters = new { bucket, key, versionId, meta, ownerAccount };
        return await connection.ExecuteAsync(
                   "UPDATE s3_objects SET meta = @meta, owner_account = @ownerAccount WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId AND delete_marker = 0",
                   parameters) == 1
               || await connection.ExecuteAsync(
                   "UPDATE s3_versions SET meta = @meta, owner_account = @ownerAccount WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId AND delete_marker = 0",
                   parameters) == 1;
    }

    /// <summary>
    /// Versions and delete markers whose key starts with <paramref name="prefix"/>, in key order and
    /// newest first within a key, after the position (<paramref name="afterKey"/>,
    /// <paramref name="beforeSequence"/>): with a null sequence, after every version of that key.
    /// </summary>
    public async Task<IReadOnlyList<S3VersionEntry>> ListVersionsAsync(string bucket, string prefix, string afterKey, long? beforeSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var upper = PrefixUpperBound(prefix);
        var position = beforeSequence is null
            ? "object_key > @afterKey"
            : "(object_key > @afterKey OR (object_key = @afterKey AND seq < @beforeSequence))";
        var range = "bucket = @bucket AND object_key >= @prefix" + (upper is null ? "" : " AND object_key < @upper") + " AND " + position;

        // Listing columns only: a listing never reads inline bytes.
        var sql = $"SELECT {ListColumns}, 1 AS IsLatest FROM s3_objects WHERE {range} " +
                  $"UNION ALL SELECT {ListColumns}, 0 AS IsLatest FROM s3_versions WHERE {range} " +
                  "ORDER BY ObjectKey, Sequence DESC LIMIT @limit";
        var rows = await connection.QueryAsync<ListedRow>(sql, new { bucket, prefix, upper, afterKey, beforeSequence, limit });
        return [.. rows.Select(r => new S3VersionEntry(r.ToRecord(), r.IsLatest != 0))];
    }

    /// <summary>The highest sequence among the key's noncurrent versions; 0 when it has none.</summary>
    private static async Task<long> LatestNoncurrentSequenceAsync(DbConnection connection, DbTransaction transaction, string bucket, string key) =>
        await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(seq) FROM s3_versions WHERE bucket = @bucket AND object_key = @key", new { bucket, key }, transaction) ?? 0;

    /// <summary>Removes a noncurrent version; returns its blobs (null when there was none).</summary>
    private static async Task<string?> RemoveNoncurrentAsync(DbConnection connection, DbTransaction transaction, string bucket, string key, string versionId)
    {
        var blobs = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT blobs FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId", new { bucket, key, versionId }, transaction);
        if (blobs is not null)
        {
            await connection.ExecuteAsync(
                "DELETE FROM s3_versions WHERE bucket = @bucket AND object_key = @key AND version_id = @versionId", new { bucket, key, versionId }, transaction);
        }

        return blobs;
    }

    private sealed class ListedRow : ObjectRow
    {
        public long IsLatest { get; set; }
    }
}
