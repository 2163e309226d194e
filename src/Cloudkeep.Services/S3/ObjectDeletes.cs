using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// What deleting a key means for the bucket's versioning state: gone for good (unversioned, or a
/// named version), a new delete marker (enabled), or a null delete marker replacing the null version
/// (suspended). DeleteObject and DeleteObjects answer the same outcome.
/// </summary>
internal static class ObjectDeletes
{
    /// <summary>What was done: the version deleted or the marker made, and whether that is a delete marker.</summary>
    public sealed record Outcome(string? VersionId, bool DeleteMarker);

    /// <summary>
    /// Deletes as the bucket's versioning decides. A version that Object Lock protects is kept:
    /// AccessDenied, unless its retention is GOVERNANCE and <paramref name="bypassGovernance"/>
    /// (x-amz-bypass-governance-retention, authorized as s3:BypassGovernanceRetention).
    /// </summary>
    public static async Task<Outcome> DeleteAsync(S3Context s3, BucketState bucket, string key, string? versionId, Core.Identity.Caller caller, bool bypassGovernance, CancellationToken cancellationToken)
    {
        if (versionId is not null)
        {
            var now = s3.Time.GetUtcNow();
            var (removed, refused) = await s3.Repository.DeleteVersionAsync(
                bucket.Name, key, versionId, v => v.DeleteMarker || ObjectLock.ObjectRetention.Of(v).MayDelete(now, bypassGovernance), cancellationToken);
            if (refused)
            {
                throw ObjectLock.ObjectRetention.ProtectedError();
            }

            await s3.DeleteObjectBlobsAsync(removed?.Blobs);

            // Deleting a version that does not exist succeeds, as S3 answers it.
            return new Outcome(versionId, removed?.DeleteMarker == true);
        }

        var versioning = bucket.Config.Versioning;
        if (versioning == S3Versioning.Unversioned)
        {
            await s3.DeleteObjectBlobsAsync(await s3.Repository.DeleteObjectAsync(bucket.Name, key, cancellationToken));
            return new Outcome(null, false);
        }

        var marker = Replication.ObjectReplication.QueueMarker(
            bucket, new S3ObjectRecord(bucket.Name, key, "", 0, "", s3.Time.GetUtcNow(), caller.IsAnonymous ? bucket.AccountId : caller.AccountId, "{}", null, ObjectVersions.ForWrite(versioning), DeleteMarker: true));
        await s3.DeleteObjectBlobsAsync(await s3.Repository.PutObjectAsync(marker, versioning, cancellationToken));
        s3.ReplicationQueued(marker);
        return new Outcome(marker.VersionId, true);
    }
}
