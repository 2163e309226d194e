using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:DeleteBucketPolicy: removes the policy (204 also when there was none).</summary>
public sealed class DeleteBucketPolicy(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteBucketPolicy";

    protected override string Action => "s3:DeleteBucketPolicy";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With("Policy", null), cancellationToken);
        return OperationResult.Empty;
    }
}
