using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.ObjectLock;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// What the per-version Object Lock operations (retention, legal hold) share: the bucket must have
/// Object Lock, the version must exist, and a change is written back to the version's metadata.
/// </summary>
public abstract class ObjectLockOperation(S3Context s3, bool put) : S3Operation(s3)
{
    protected bool Put => put;

    protected override S3Scope Scope => S3Scope.ObjectKey;

    /// <summary>The requested version (the current one without a version id) and its metadata.</summary>
    protected async Task<(S3ObjectRecord Record, ObjectMeta Meta)> LockedVersionAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        ObjectLockConfiguration.RequireEnabled(bucket.Config);
        var record = await S3.RequireRequestObjectAsync(request, bucket, RequireKey(request), put ? "PUT" : "GET", cancellationToken);
        return (record, ObjectMeta.Parse(record.Meta));
    }

    protected async Task<OperationResult> WriteBackAsync(S3ObjectRecord record, ObjectMeta meta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(meta);
        await S3.UpdateMetaAsync(record, meta.ToJson(), record.OwnerAccount, cancellationToken);
        return OperationResult.Empty;
    }
}
