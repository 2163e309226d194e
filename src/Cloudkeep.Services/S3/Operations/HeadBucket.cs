using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListBucket: whether the bucket exists and may be listed; answers its region in x-amz-bucket-region.</summary>
public sealed class HeadBucket(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "HeadBucket";

    protected override string Action => "s3:ListBucket";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        return new OperationResult(new JsonObject { ["BucketRegion"] = bucket.Region, ["AccessPointAlias"] = false });
    }
}
