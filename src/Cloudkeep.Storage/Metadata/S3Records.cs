namespace Cloudkeep.Storage.Metadata;

/// <summary>A bucket: its owner, its region (a separate storage location) and its configuration document (policy, ACL, CORS, ...).</summary>
public sealed record S3BucketRecord(string Name, string AccountId, string Region, DateTimeOffset CreatedAt, string Config);

/// <summary>
/// An object's current version. <see cref="Blobs"/> lists the blobs that hold its bytes in order
/// ("region/id:length" separated by commas): one for a simple upload, one per part for a completed
/// multipart upload, so completing never copies data. A small object's bytes are
/// <see cref="InlineData"/> instead, committed in the same transaction as the row (no blob, no
/// separate fsync); listings never read them.
/// <see cref="VersionId"/> is "null" for an object written while the bucket was not versioning; a
/// <see cref="DeleteMarker"/> has no bytes. <see cref="Sequence"/> orders a key's versions (newest
/// highest) and is assigned by the store.
/// </summary>
public sealed record S3ObjectRecord(
    string Bucket,
    string Key,
    string Blobs,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string OwnerAccount,
    string Meta,
    byte[]? InlineData = null,
    string VersionId = S3ObjectRecord.NullVersion,
    bool DeleteMarker = false,
    long Sequence = 0)
{
    /// <summary>The version id of an object written while versioning was off or suspended.</summary>
    public const string NullVersion = "null";

    /// <summary>Whether writing this version also queues it for replication, in the same transaction.</summary>
    public bool QueueReplication { get; init; }
}

/// <summary>A version waiting in the replication queue, and how often replicating it has been tried.</summary>
public sealed record S3ReplicationTask(string Bucket, string Key, long Sequence, string VersionId, DateTimeOffset QueuedAt, int Attempts);

/// <summary>What deleting a version did: the version removed (null when there was none or it was kept), and whether the caller's rule kept it.</summary>
public readonly record struct S3VersionDeletion(S3ObjectRecord? Removed, bool Refused);

/// <summary>One entry of ListObjectVersions: a version or delete marker, and whether it is the key's current one.</summary>
public sealed record S3VersionEntry(S3ObjectRecord Version, bool IsLatest);

/// <summary>How a bucket keeps what a write replaces: not at all, as a new version, or as the single "null" version.</summary>
public enum S3Versioning
{
    Unversioned,
    Enabled,
    Suspended,
}

/// <summary>An in-progress multipart upload and the headers given when it was created.</summary>
public sealed record S3UploadRecord(string UploadId, string Bucket, string Key, DateTimeOffset Initiated, string OwnerAccount, string InitiatorArn, string Meta);

/// <summary>One uploaded part of a multipart upload.</summary>
public sealed record S3PartRecord(string UploadId, int PartNumber, string BlobId, long Size, string ETag, DateTimeOffset LastModified, string Checksums);

/// <summary>
/// A conditional write's precondition on the key's current object (PutObject's and
/// CompleteMultipartUpload's If-None-Match: * and If-Match), decided in the write's own transaction
/// so that two racing writes cannot both pass it. A delete marker is no object.
/// </summary>
public sealed record S3WriteCondition(bool MustNotExist, IReadOnlyList<string>? MatchETags)
{
    /// <summary>The outcome for the key's current object (its ETag, null when there is none).</summary>
    public S3WriteOutcome Judge(string? currentETag)
    {
        if (MustNotExist && currentETag is not null)
        {
            return S3WriteOutcome.Exists;
        }

        if (MatchETags is { } tags)
        {
            if (currentETag is null)
            {
                return S3WriteOutcome.Missing;
            }

            if (!tags.Any(t => t == "*" || t == currentETag))
            {
                return S3WriteOutcome.ETagMismatch;
            }
        }

        return S3WriteOutcome.Written;
    }
}

/// <summary>What a conditional write did: written, refused by its precondition, or lost a race the engine could not order (Conflict).</summary>
public enum S3WriteOutcome
{
    Written,
    Exists,
    Missing,
    ETagMismatch,
    Conflict,
}

/// <summary>A completed multipart upload, remembered so that completing it again answers the object it made while that is still the key's current version.</summary>
public sealed record S3CompletedUpload(string UploadId, string Bucket, string Key, string VersionId, string ETag, DateTimeOffset LastModified);
