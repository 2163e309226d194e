using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutBucketVersioning: Enabled or Suspended (a bucket never returns to unversioned), and MFA
/// delete, which only the bucket owner's root user may change, with its MFA code.
/// </summary>
public sealed class PutBucketVersioning(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketVersioning";

    protected override string Action => "s3:PutBucketVersioning";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var stored = bucket.Config.Get(BucketVersioning.Part);
        var requested = S3Input.Object(request.Input, "VersioningConfiguration");
        var merged = BucketVersioning.Merge(stored, requested);
        if (merged["Status"]?.GetValue<string>() == "Suspended" && ObjectLock.ObjectLockConfiguration.IsEnabled(bucket.Config))
        {
            throw S3Errors.InvalidBucketState.ToException("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
        }

        if (merged["Status"]?.GetValue<string>() == "Suspended" && bucket.Config.Get(Replication.ReplicationConfiguration.Part) is not null)
        {
            throw S3Errors.InvalidBucketState.ToException("A replication configuration is present on this bucket, so the versioning state cannot be changed.");
        }
        var changesMfaDelete = requested?["MFADelete"] is not null;
        if (changesMfaDelete)
        {
            MfaDelete.RequireOwnerRoot(request.Caller, bucket);
            if (merged["MFADelete"]?.GetValue<string>() == "Enabled" && bucket.Config.Get(Lifecycle.LifecycleConfiguration.Part) is not null)
            {
                throw S3Errors.InvalidBucketState.ToException("MFA delete cannot be enabled on a bucket with a lifecycle configuration");
            }
        }

        if (changesMfaDelete || bucket.Config.MfaDelete)
        {
            await MfaDelete.RequireAsync(S3, request, bucket, cancellationToken);
        }
        await S3.SaveConfigAsync(bucket, bucket.Config.With(BucketVersioning.Part, merged), cancellationToken);
        return OperationResult.Empty;
    }
}
