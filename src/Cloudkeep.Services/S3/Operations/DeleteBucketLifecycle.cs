using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Lifecycle;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutLifecycleConfiguration (S3 has no delete action for it): removes every lifecycle rule; 204 also when there were none.</summary>
public sealed class DeleteBucketLifecycle(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteBucketLifecycle";

    protected override string Action => "s3:PutLifecycleConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With(LifecycleConfiguration.Part, null), cancellationToken);
        return OperationResult.Empty;
    }
}
