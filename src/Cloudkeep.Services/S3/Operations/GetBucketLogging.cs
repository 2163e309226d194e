using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Logging;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketLogging: the LoggingEnabled member as stored, or an empty status when the bucket does not log.</summary>
public sealed class GetBucketLogging(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketLogging";

    protected override string Action => "s3:GetBucketLogging";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var output = new JsonObject();
        if (bucket.Config.Get(BucketLogging.Part) is JsonObject enabled)
        {
            output["LoggingEnabled"] = enabled.DeepClone();
        }

        return new OperationResult(output);
    }
}
