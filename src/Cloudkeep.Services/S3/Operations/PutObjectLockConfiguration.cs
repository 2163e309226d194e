using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.ObjectLock;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutBucketObjectLockConfiguration: turns Object Lock on for a bucket whose versioning is
/// enabled (409 InvalidBucketState otherwise, as S3 answers) and sets or clears its default
/// retention. Once on, it cannot be turned off.
/// </summary>
public sealed class PutObjectLockConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutObjectLockConfiguration";

    protected override string Action => "s3:PutBucketObjectLockConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var configuration = ObjectLockConfiguration.Validate(S3Input.Object(request.Input, "ObjectLockConfiguration"));
        if (bucket.Config.Versioning != S3Versioning.Enabled)
        {
            throw S3Errors.InvalidBucketState.ToException("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
        }

        await S3.SaveConfigAsync(bucket, bucket.Config.With(ObjectLockConfiguration.Part, configuration), cancellationToken);
        return OperationResult.Empty;
    }
}
