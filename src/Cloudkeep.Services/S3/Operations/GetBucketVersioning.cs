using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketVersioning: Status and MfaDelete as last set; an empty configuration for a bucket that never had versioning.</summary>
public sealed class GetBucketVersioning(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketVersioning";

    protected override string Action => "s3:GetBucketVersioning";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        return new OperationResult(bucket.Config.Get(BucketVersioning.Part)?.DeepClone() as JsonObject ?? []);
    }
}
