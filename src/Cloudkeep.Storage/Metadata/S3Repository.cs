using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// Buckets, objects, multipart uploads and parts. Writes that replace bytes return the blobs the
/// old row named, so the caller deletes them only after the new row is committed.
/// </summary>
public sealed partial class S3Repository
{
    private const string BucketColumns = "name AS Name, account_id AS AccountId, region AS Region, created_at AS CreatedAt, config AS Config";
    private const string VersionColumns = "version_id AS VersionId, delete_marker AS DeleteMarker, seq AS Sequence";
    private const string ObjectColumns = "bucket AS Bucket, object_key AS ObjectKey, blobs AS Blobs, size AS Size, etag AS ETag, last_modified AS LastModified, owner_account AS OwnerAccount, meta AS Meta, inline_data AS InlineData, " + VersionColumns;
    private const string ListColumns = "bucket AS Bucket, object_key AS ObjectKey, blobs AS Blobs, size AS Size, etag AS ETag, last_modified AS LastModified, owner_account AS OwnerAccount, meta AS Meta, NULL AS InlineData, " + VersionColumns;
    private const string UploadColumns = "upload_id AS UploadId, bucket AS Bucket, object_key AS ObjectKey, initiated AS Initiated, owner_account AS OwnerAccount, initiator_arn AS InitiatorArn, meta AS Meta";
    private const string PartColumns = "upload_id AS UploadId, part_number AS PartNumber, blob_id AS BlobId, size AS Size, etag AS ETag, last_modified AS LastModified, checksums AS Checksums";

    private readonly IMetadataStore _store;
    private readonly string _forUpdate;

    public S3Repository(IMetadataStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _forUpdate = store.Engine == "postgres" ? " FOR UPDATE" : "";
    }

    /// <summary>The name every writer of one key's rows (current object, versions, its completed uploads) locks.</summary>
    private static string KeyLock(string bucket, string key) => "s3/object\n" + bucket + "\n" + key;

    /// <summary>The name writers of one multipart upload's parts lock; completing it also locks the upload's row.</summary>
    private static string UploadLock(string uploadId) => "s3/upload\n" + uploadId;

    // ---- buckets

    /// <summary>Creates the bucket; false when the name is taken (by any account).</summary>
    public async Task<bool> CreateBucketAsync(S3BucketRecord bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            await using var connection = await _store.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO s3_buckets (name, account_id, region, created_at, config) VALUES (@Name, @AccountId, @Region, @CreatedAt, @Config)",
                new { bucket.Name, bucket.AccountId, bucket.Region, CreatedAt = bucket.CreatedAt.ToUnixTimeMilliseconds(), bucket.Config });
            return true;
        }
        catch (DbException exception) when (_store.IsUniqueViolation(exception))
        {
            return false;
        }
    }

    public async Task<S3BucketRecord?> GetBucketAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BucketRow>($"SELECT {BucketColumns} FROM s3_buckets WHERE name = @name", new { name });
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<S3BucketRecord>> ListBucketsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BucketRow>($"SELECT {BucketColumns} FROM s3_buckets WHERE account_id = @accountId ORDER BY name", new { accountId });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> UpdateBucketConfigAsync(string name, string config, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE s3_buckets SET config = @config WHERE name = @name", new { name, config }) == 1;
    }

    /// <summary>Deletes an empty bucket with its abandoned uploads. Null when it has objects; else the uploads' part blobs.</summary>
    public Task<IReadOnlyList<string>?> DeleteBucketAsync(string name, CancellationToken cancellationToken) =>
        _store.InTransactionAsync<IReadOnlyList<string>?>(
            async (connection, transaction) =>
            {
                // Delete markers and noncurrent versions count: S3 asks for every version to be deleted.
                var any = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM s3_objects WHERE bucket = @name LIMIT 1) x", new { name }, transaction)
                    + await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM s3_versions WHERE bucket = @name LIMIT 1) x", new { name }, transaction);
                if (any > 0)
                {
                    return null;
                }

                var blobs = (await connection.QueryAsync<string>(
                    "SELECT p.blob_id FROM s3_parts p JOIN s3_uploads u ON u.upload_id = p.upload_id WHERE u.bucket = @name", new { name }, transaction)).ToList();
                await connection.ExecuteAsync("DELETE FROM s3_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = @name)", new { name }, transaction);
                await connection.ExecuteAsync("DELETE FROM s3_uploads WHERE bucket = @name", new { name }, transaction);
                await connection.ExecuteAsync("DELETE FROM s3_completed_uploads WHERE bucket = @name", new { name }, transaction);
                await connection.ExecuteAsync("DELETE FROM s3_buckets WHERE name = @name", new { name }, transaction);
                return blobs;
            },
            cancellationToken);

    // ---- objects

    /// <summary>The key's current version, unless that is a delete marker (then null, as for no object).</summary>
    public async Task<S3ObjectRecord?> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var row = await _store.QueryRowAsync<ObjectRow>(
            $"SELECT {ObjectColumns} FROM s3_objects WHERE bucket = @bucket AND object_key = @key AND delete_marker = 0", [("@bucket", bucket), ("@key", key)], cancellationToken);
        return row?.ToRecord();
    }

    /// <summary>
    /// Makes the object (or delete marker) the key's current version. Unversioned, it replaces the
    /// current one; Enabled, the current one becomes a noncurrent version; Suspended, the record
    /// (whose version id is "null") replaces the key's null version wherever it is. Returns the blobs
    /// no version refers to any more, to delete after the commit.
    /// </summary>
    public Task<string?> PutObjectAsync(S3ObjectRecord record, S3Versioning versioning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _store.InKeyTransactionAsync(
            KeyLock(record.Bucket, record.Key),
            (connection, transaction) => UpsertObjectAsync(connection, transaction, record, versioning),
            cancellationToken);
    }

    /// <summary>
    /// PutObjectAsync under a precondition, judged against the key's current object in the same
    /// transaction: nothing is written unless the outcome is <see cref="S3WriteOutcome.Written"/>.
    /// A race the engine cannot order (PostgreSQL's serialization failure) is
    /// <see cref="S3WriteOutcome.Conflict"/>, for S3's 409 ConditionalRequestConflict.
    /// </summary>
    public async Task<(S3WriteOutcome Outcome, string? Freed)> PutObjectAsync(S3ObjectRecord record, S3Versioning versioning, S3WriteCondition? condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return await _store.InKeyTransactionAsync(
                KeyLock(record.Bucket, record.Key),
                async (connection, transaction) =>
                {
                    var outcome = await JudgeAsync(connection, transaction, record.Bucket, record.Key, condition);
                    return outcome == S3WriteOutcome.Written
                        ? (outcome, await UpsertObjectAsync(connection, transaction, record, versioning))
                        : (outcome, (string?)null);
                },
                cancellationToken);
        }
        catch (Exception e) when (condition is not null && _store.IsSerializationFailure(e))
        {
            return (S3WriteOutcome.Conflict, null);
        }
    }

    private async Task<S3WriteOutcome> JudgeAsync(DbConnection connection, DbTransaction transaction, string bucket, string key, S3WriteCondition? condition)
    {
        if (condition is null)
        {
            return S3WriteOutcome.Written;
        }

        var current = await connection.QuerySingleOrDefaultAsync<ConditionRow>(
            "SELECT etag AS ETag, delete_marker AS DeleteMarker FROM s3_objects WHERE bucket = @bucket AND object_key = @key" + _forUpdate,
            new { bucket, key }, transaction);
        return condition.Judge(current is { DeleteMarker: 0 } ? current.ETag : null);
    }

    private async Task<string?> UpsertObjectAsync(DbConnection connection, DbTransaction transaction, S3ObjectRecord record, S3Versioning versioning)
    {
        var current = await connection.QuerySingleOrDefaultAsync<CurrentRow>(
            "SELECT blobs AS Blobs, version_id AS VersionId, seq AS Sequence FROM s3_objects WHERE bucket = @Bucket AND object_key = @Key" + _forUpdate,
            new { record.Bucket, record.Key }, transaction);
        string? freed = null;
        long sequence = 0;
        if (versioning == S3Versioning.Unversioned)
        {
            freed = current?.Blobs;
        }
        else
        {
            sequence = (current?.Sequence ?? await LatestNoncurrentSequenceAsync(connection, transaction, record.Bucket, record.Key)) + 1;
            if (current is not null && current.VersionId == record.VersionId)
            {
                freed = current.Blobs;
            }
            else if (current is not null)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO s3_versions (bucket, object_key, seq, version_id, delete_marker, blobs, size, etag, last_modified, owner_account, meta, inline_data, noncurrent_since) " +
                    "SELECT bucket, object_key, seq, version_id, delete_marker, blobs, size, etag, last_modified, owner_account, meta, inline_data, @now FROM s3_objects WHERE bucket = @Bucket AND object_key = @Key",
                    new { record.Bucket, record.Key, now = record.LastModified.ToUnixTimeMilliseconds() }, transaction);
            }

            if (record.VersionId == S3ObjectRecord.NullVersion && (current is null || current.VersionId != S3ObjectRecord.NullVersion))
            {
                freed = await RemoveNoncurrentAsync(connection, transaction, record.Bucket, record.Key, S3ObjectRecord.NullVersion);
            }
        }

        await connection.ExecuteAsync(
            "INSERT INTO s3_objects (bucket, object_key, blobs, size, etag, last_modified, owner_account, meta, inline_data, version_id, delete_marker, seq) " +
            "VALUES (@Bucket, @Key, @Blobs, @Size, @ETag, @LastModified, @OwnerAccount, @Meta, @InlineData, @VersionId, @DeleteMarker, @sequence) " +
            "ON CONFLICT (bucket, object_key) DO UPDATE SET blobs = excluded.blobs, size = excluded.size, etag = excluded.etag, " +
            "last_modified = excluded.last_modified, owner_account = excluded.owner_account, meta = excluded.meta, inline_data = excluded.inline_data, " +
            "version_id = excluded.version_id, delete_marker = excluded.delete_marker, seq = excluded.seq",
            new
            {
                record.Bucket, record.Key, record.Blobs, record.Size, record.ETag, LastModified = record.LastModified.ToUnixTimeMilliseconds(),
                record.OwnerAccount, record.Meta, record.InlineData, record.VersionId, DeleteMarker = record.DeleteMarker ? 1 : 0, sequence,
            },
            transaction);
        if (record.QueueReplication)
        {
            await EnqueueReplicationAsync(connection, transaction, record, sequence);
        }

        return freed;
    }

    /// <summary>Removes the object of an unversioned bucket; returns its blobs (null when there was none).</summary>
    public Task<string?> DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        _store.InKeyTransactionAsync(
            KeyLock(bucket, key),
            async (connection, transaction) =>
            {
                var old = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT blobs FROM s3_objects WHERE bucket = @bucket AND object_key = @key" + _forUpdate, new { bucket, key }, transaction);
                if (old is not null)
                {
                    await connection.ExecuteAsync("DELETE FROM s3_objects WHERE bucket = @bucket AND object_key = @key", new { bucket, key }, transaction);
                }

                return old;
            },
            cancellationToken);

    /// <summary>Objects whose key starts with <paramref name="prefix"/> and sorts after <paramref name="after"/>, in UTF-8 binary order.</summary>
    public async Task<IReadOnlyList<S3ObjectRecord>> ListObjectsAsync(string bucket, string prefix, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var upper = PrefixUpperBound(prefix);
        var sql = $"SELECT {ListColumns} FROM s3_objects WHERE bucket = @bucket AND object_key > @after AND object_key >= @prefix AND delete_marker = 0" +
                  (upper is null ? "" : " AND object_key < @upper") + " ORDER BY object_key LIMIT @limit";
        var rows = await connection.QueryAsync<ObjectRow>(sql, new { bucket, after, prefix, upper, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>,
    /// in UTF-8 byte order; null when there is none (the prefix is empty).
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return null;
        }

        // Appending the largest code point bounds every key that continues the prefix with a
        // smaller one; a key continuing with U+10FFFF itself is vanishingly unlikely and only
        // makes a listing page end early, never skip a key, because callers re-check the prefix.
        return prefix + char.ConvertFromUtf32(0x10FFFF) + char.ConvertFromUtf32(0x10FFFF);
    }

    // ---- multipart uploads

    public async Task CreateUploadAsync(S3UploadRecord upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO s3_uploads (upload_id, bucket, object_key, initiated, owner_account, initiator_arn, meta) VALUES (@UploadId, @Bucket, @Key, @Initiated, @OwnerAccount, @InitiatorArn, @Meta)",
            new { upload.UploadId, upload.Bucket, upload.Key, Initiated = upload.Initiated.ToUnixTimeMilliseconds(), upload.OwnerAccount, upload.InitiatorArn, upload.Meta });
    }

    public async Task<S3UploadRecord?> GetUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UploadRow>($"SELECT {UploadColumns} FROM s3_uploads WHERE upload_id = @uploadId", new { uploadId });
        return row?.ToRecord();
    }

    /// <summary>Uploads of a bucket after (key, upload id) in order, whose key starts with the prefix.</summary>
    public async Task<IReadOnlyList<S3UploadRecord>> ListUploadsAsync(string bucket, string prefix, string keyMarker, string uploadIdMarker, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var upper = PrefixUpperBound(prefix);
        var sql = $"SELECT {UploadColumns} FROM s3_uploads WHERE bucket = @bucket AND object_key >= @prefix" + (upper is null ? "" : " AND object_key < @upper") +
                  " AND (object_key > @keyMarker OR (object_key = @keyMarker AND upload_id > @uploadIdMarker)) ORDER BY object_key, upload_id LIMIT @limit";
        var rows = await connection.QueryAsync<UploadRow>(sql, new { bucket, prefix, upper, keyMarker, uploadIdMarker, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Records a part (replacing one with the same number); returns the replaced part's blob. False when the upload is gone.</summary>
    public Task<(bool Exists, string? ReplacedBlob)> PutPartAsync(S3PartRecord part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        return _store.InKeyTransactionAsync(
            UploadLock(part.UploadId),
            async (connection, transaction) =>
            {
                var exists = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT upload_id FROM s3_uploads WHERE upload_id = @UploadId" + _forUpdate, new { part.UploadId }, transaction);
                if (exists is null)
                {
                    return (false, (string?)null);
                }

                var old = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT blob_id FROM s3_parts WHERE upload_id = @UploadId AND part_number = @PartNumber", new { part.UploadId, part.PartNumber }, transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO s3_parts (upload_id, part_number, blob_id, size, etag, last_modified, checksums) VALUES (@UploadId, @PartNumber, @BlobId, @Size, @ETag, @LastModified, @Checksums) " +
                    "ON CONFLICT (upload_id, part_number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified, checksums = excluded.checksums",
                    new { part.UploadId, part.PartNumber, part.BlobId, part.Size, part.ETag, LastModified = part.LastModified.ToUnixTimeMilliseconds(), part.Checksums },
                    transaction);
                return (true, old);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<S3PartRecord>> ListPartsAsync(string uploadId, int afterPartNumber, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PartRow>(
            $"SELECT {PartColumns} FROM s3_parts WHERE upload_id = @uploadId AND part_number > @afterPartNumber ORDER BY part_number LIMIT @limit",
            new { uploadId, afterPartNumber, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Removes the upload; returns its parts' blobs, or null when it did not exist.</summary>
    public Task<IReadOnlyList<string>?> AbortUploadAsync(string uploadId, CancellationToken cancellationToken) =>
        _store.InKeyTransactionAsync<IReadOnlyList<string>?>(
            UploadLock(uploadId),
            async (connection, transaction) =>
            {
                var exists = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT upload_id FROM s3_uploads WHERE upload_id = @uploadId" + _forUpdate, new { uploadId }, transaction);
                if (exists is null)
                {
                    return null;
                }

                var blobs = (await connection.QueryAsync<string>("SELECT blob_id FROM s3_parts WHERE upload_id = @uploadId", new { uploadId }, transaction)).ToList();
                await connection.ExecuteAsync("DELETE FROM s3_parts WHERE upload_id = @uploadId", new { uploadId }, transaction);
                await connection.ExecuteAsync("DELETE FROM s3_uploads WHERE upload_id = @uploadId", new { uploadId }, transaction);
                return blobs;
            },
            cancellationToken);

    /// <summary>
    /// Completes an upload in one transaction: the object becomes visible made of the chosen parts'
    /// blobs, the upload disappears, and its id is remembered with the object it made (see
    /// <see cref="GetCompletedUploadAsync"/>). UploadFound is false when the upload no longer exists;
    /// a precondition that fails (or a race, as in <see cref="PutObjectAsync(S3ObjectRecord, S3Versioning, S3WriteCondition?, CancellationToken)"/>)
    /// leaves the upload as it was. Unreferenced: the blobs no longer referenced (the replaced object's and the parts not chosen).
    /// </summary>
    public async Task<(bool UploadFound, S3WriteOutcome Outcome, IReadOnlyList<string> Unreferenced)> CompleteUploadAsync(
        string uploadId, S3ObjectRecord record, S3Versioning versioning, IReadOnlySet<string> usedBlobs, S3WriteCondition? condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(usedBlobs);
        try
        {
            return await _store.InKeyTransactionAsync(
                KeyLock(record.Bucket, record.Key),
                async (connection, transaction) =>
                {
                    var exists = await connection.QuerySingleOrDefaultAsync<string>(
                        "SELECT upload_id FROM s3_uploads WHERE upload_id = @uploadId" + _forUpdate, new { uploadId }, transaction);
                    if (exists is null)
                    {
                        return (false, S3WriteOutcome.Written, (IReadOnlyList<string>)[]);
                    }

                    var outcome = await JudgeAsync(connection, transaction, record.Bucket, record.Key, condition);
                    if (outcome != S3WriteOutcome.Written)
                    {
                        return (true, outcome, (IReadOnlyList<string>)[]);
                    }

                    var parts = await connection.QueryAsync<string>("SELECT blob_id FROM s3_parts WHERE upload_id = @uploadId", new { uploadId }, transaction);
                    var unreferenced = parts.Where(b => !usedBlobs.Contains(b)).ToList();
                    var old = await UpsertObjectAsync(connection, transaction, record, versioning);
                    if (old is not null)
                    {
                        unreferenced.AddRange(S3BlobList.Parse(old).Select(b => b.BlobId));
                    }

                    await connection.ExecuteAsync("DELETE FROM s3_parts WHERE upload_id = @uploadId", new { uploadId }, transaction);
                    await connection.ExecuteAsync("DELETE FROM s3_uploads WHERE upload_id = @uploadId", new { uploadId }, transaction);

                    // Only the key's latest completion can still be its current object.
                    await connection.ExecuteAsync(
                        "DELETE FROM s3_completed_uploads WHERE bucket = @Bucket AND object_key = @Key", new { record.Bucket, record.Key }, transaction);
                    await connection.ExecuteAsync(
                        "INSERT INTO s3_completed_uploads (upload_id, bucket, object_key, version_id, etag, last_modified) VALUES (@uploadId, @Bucket, @Key, @VersionId, @ETag, @lastModified)",
                        new { uploadId, record.Bucket, record.Key, record.VersionId, record.ETag, lastModified = record.LastModified.ToUnixTimeMilliseconds() },
                        transaction);
                    return (true, S3WriteOutcome.Written, (IReadOnlyList<string>)unreferenced);
                },
                cancellationToken);
        }
        catch (Exception e) when (condition is not null && _store.IsSerializationFailure(e))
        {
            return (true, S3WriteOutcome.Conflict, []);
        }
    }

    /// <summary>A completed upload whose object is still the key's current version (same version id, ETag and time); null otherwise.</summary>
    public async Task<S3CompletedUpload?> GetCompletedUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CompletedRow>(
            "SELECT c.upload_id AS UploadId, c.bucket AS Bucket, c.object_key AS ObjectKey, c.version_id AS VersionId, c.etag AS ETag, c.last_modified AS LastModified " +
            "FROM s3_completed_uploads c JOIN s3_objects o ON o.bucket = c.bucket AND o.object_key = c.object_key " +
            "AND o.version_id = c.version_id AND o.etag = c.etag AND o.last_modified = c.last_modified AND o.delete_marker = 0 " +
            "WHERE c.upload_id = @uploadId",
            new { uploadId });
        return row is null ? null : new S3CompletedUpload(row.UploadId, row.Bucket, row.ObjectKey, row.VersionId, row.ETag, DateTimeOffset.FromUnixTimeMilliseconds(row.LastModified));
    }

    private sealed record BucketRow(string Name, string AccountId, string Region, long CreatedAt, string Config)
    {
        public S3BucketRecord ToRecord() => new(Name, AccountId, Region, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), Config);
    }

    // Settable properties rather than a constructor: Dapper then converts each column to its
    // property's type, where the engines differ (PostgreSQL's INTEGER is 32-bit, SQLite's 64-bit).
    private class ObjectRow
    {
        public string Bucket { get; set; } = "";

        public string ObjectKey { get; set; } = "";

        public string Blobs { get; set; } = "";

        public long Size { get; set; }

        public string ETag { get; set; } = "";

        public long LastModified { get; set; }

        public string OwnerAccount { get; set; } = "";

        public string Meta { get; set; } = "";

        public byte[]? InlineData { get; set; }

        public string VersionId { get; set; } = "";

        public long DeleteMarker { get; set; }

        public long Sequence { get; set; }

        public S3ObjectRecord ToRecord() =>
            new(Bucket, ObjectKey, Blobs, Size, ETag, DateTimeOffset.FromUnixTimeMilliseconds(LastModified), OwnerAccount, Meta, InlineData, VersionId, DeleteMarker != 0, Sequence);
    }

    private sealed record CurrentRow(string Blobs, string VersionId, long Sequence);

    private sealed class ConditionRow
    {
        public string ETag { get; set; } = "";

        public long DeleteMarker { get; set; }
    }

    private sealed class CompletedRow
    {
        public string UploadId { get; set; } = "";

        public string Bucket { get; set; } = "";

        public string ObjectKey { get; set; } = "";

        public string VersionId { get; set; } = "";

        public string ETag { get; set; } = "";

        public long LastModified { get; set; }
    }

    private sealed record UploadRow(string UploadId, string Bucket, string ObjectKey, long Initiated, string OwnerAccount, string InitiatorArn, string Meta)
    {
        public S3UploadRecord ToRecord() => new(UploadId, Bucket, ObjectKey, DateTimeOffset.FromUnixTimeMilliseconds(Initiated), OwnerAccount, InitiatorArn, Meta);
    }

    /// <summary>
    /// Settable properties, not a positional record: part_number is a 64-bit value from SQLite and a 32-bit one
    /// from PostgreSQL, and Dapper converts between them only when it sets a property.
    /// </summary>
    private sealed class PartRow
    {
        public string UploadId { get; init; } = "";

        public long PartNumber { get; init; }

        public string BlobId { get; init; } = "";

        public long Size { get; init; }

        public string ETag { get; init; } = "";

        public long LastModified { get; init; }

        public string Checksums { get; init; } = "";

        public S3PartRecord ToRecord() => new(UploadId, (int)PartNumber, BlobId, Size, ETag, DateTimeOffset.FromUnixTimeMilliseconds(LastModified), Checksums);
    }
}
