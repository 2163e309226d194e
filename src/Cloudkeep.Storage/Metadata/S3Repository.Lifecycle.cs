using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// What the lifecycle job reads and changes. Each change is its own transaction that first checks
/// the row is still the one the job judged, so a write racing the job is never undone and a job
/// stopped half-way leaves every object either expired or untouched.
/// </summary>
public sealed partial class S3Repository
{
    /// <summary>Every bucket of the estate, in name order.</summary>
    public async Task<IReadOnlyList<S3BucketRecord>> ListAllBucketsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BucketRow>($"SELECT {BucketColumns} FROM s3_buckets ORDER BY name");
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Current versions (delete markers included) after a key, in key order, for the job to judge.</summary>
    public async Task<IReadOnlyList<S3ObjectRecord>> ListCurrentAsync(string bucket, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObjectRow>(
            $"SELECT {ListColumns} FROM s3_objects WHERE bucket = @bucket AND object_key > @after ORDER BY object_key LIMIT @limit", new { bucket, after, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Noncurrent versions after a position (key, then newest first), with when each became noncurrent.</summary>
    public async Task<IReadOnlyList<(S3ObjectRecord Version, DateTimeOffset NoncurrentSince)>> ListNoncurrentAsync(
        string bucket, string afterKey, long beforeSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NoncurrentRow>(
            $"SELECT {ListColumns}, noncurrent_since AS NoncurrentSince FROM s3_versions " +
            "WHERE bucket = @bucket AND (object_key > @afterKey OR (object_key = @afterKey AND seq < @beforeSequence)) ORDER BY object_key, seq DESC LIMIT @limit",
            new { bucket, afterKey, beforeSequence, limit });
        return [.. rows.Select(r => (r.ToRecord(), DateTimeOffset.FromUnixTimeMilliseconds(r.NoncurrentSince)))];
    }

    /// <summary>
    /// Expires a current object if it is still the version judged: unversioned, it is deleted (its
    /// blobs returned); otherwise <paramref name="marker"/> becomes current as a delete would make
    /// it. Expired is false when the object changed meanwhile.
    /// </summary>
    public Task<(bool Expired, string? FreedBlobs)> ExpireCurrentAsync(S3ObjectRecord judged, S3ObjectRecord? marker, S3Versioning versioning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judged);
        return _store.InKeyTransactionAsync(
            KeyLock(judged.Bucket, judged.Key),
            async (connection, transaction) =>
            {
                var current = await connection.QuerySingleOrDefaultAsync<CurrentRow>(
                    "SELECT blobs AS Blobs, version_id AS VersionId, seq AS Sequence FROM s3_objects WHERE bucket = @Bucket AND object_key = @Key AND last_modified = @LastModified AND etag = @ETag" + _forUpdate,
                    new { judged.Bucket, judged.Key, LastModified = judged.LastModified.ToUnixTimeMilliseconds(), judged.ETag }, transaction);
                if (current is null || current.VersionId != judged.VersionId)
                {
                    return (false, (string?)null);
                }

                if (marker is null)
                {
                    await connection.ExecuteAsync("DELETE FROM s3_objects WHERE bucket = @Bucket AND object_key = @Key", new { judged.Bucket, judged.Key }, transaction);
                    return (true, current.Blobs);
                }

                return (true, await UpsertObjectAsync(connection, transaction, marker, versioning));
            },
            cancellationToken);
    }

    /// <summary>Removes a current delete marker that no longer hides any version (ExpiredObjectDeleteMarker); false when that is no longer so.</summary>
    public Task<bool> RemoveLoneDeleteMarkerAsync(string bucket, string key, string versionId, CancellationToken cancellationToken) =>
        _store.InKeyTransactionAsync(
            KeyLock(bucket, key),
            async (connection, transaction) =>
            {
                var current = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT version_id FROM s3_objects WHERE bucket = @bucket AND object_key = @key AND delete_marker = 1" + _forUpdate, new { bucket, key }, transaction);
                if (current != versionId || await LatestNoncurrentSequenceAsync(connection, transaction, bucket, key) > 0)
                {
                    return false;
                }

                await connection.ExecuteAsync("DELETE FROM s3_objects WHERE bucket = @bucket AND object_key = @key", new { bucket, key }, transaction);
                return true;
            },
            cancellationToken);

    /// <summary>Changes the storage class kept in a version's metadata document, if the version is still there (a lifecycle transition).</summary>
    public async Task<bool> UpdateMetaIfUnchangedAsync(S3ObjectRecord judged, string meta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judged);
        await using var connection = await _store.OpenAsync(cancellationToken);
        // Parameter names differ by more than case: Npgsql matches @meta and @Meta to one parameter, so the old
        // document was written back and the storage class never changed on PostgreSQL.
        var parameters = new { judged.Bucket, judged.Key, judged.VersionId, Judged = judged.Meta, Changed = meta };
        return await connection.ExecuteAsync(
                   "UPDATE s3_objects SET meta = @Changed WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId AND meta = @Judged", parameters) == 1
               || await connection.ExecuteAsync(
                   "UPDATE s3_versions SET meta = @Changed WHERE bucket = @Bucket AND object_key = @Key AND version_id = @VersionId AND meta = @Judged", parameters) == 1;
    }

    private sealed class NoncurrentRow : ObjectRow
    {
        public long NoncurrentSince { get; set; }
    }
}
