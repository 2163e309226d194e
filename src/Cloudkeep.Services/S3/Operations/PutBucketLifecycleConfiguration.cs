using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Lifecycle;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutLifecycleConfiguration: replaces the bucket's lifecycle rules after checking every one; a
/// bad configuration changes nothing. Refused on a bucket with MFA delete: S3 does not allow both.
/// </summary>
public sealed class PutBucketLifecycleConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketLifecycleConfiguration";

    protected override string Action => "s3:PutLifecycleConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var configuration = LifecycleConfiguration.Validate(S3Input.Object(request.Input, "LifecycleConfiguration"));
        if (bucket.Config.MfaDelete)
        {
            throw S3Errors.InvalidBucketState.ToException("Lifecycle configuration cannot be applied to a bucket with MFA delete enabled");
        }

        await S3.SaveConfigAsync(bucket, bucket.Config.With(LifecycleConfiguration.Part, configuration), cancellationToken);
        return OperationResult.Empty;
    }
}
