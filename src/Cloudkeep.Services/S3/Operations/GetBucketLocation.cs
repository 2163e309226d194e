using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketLocation: the region, except that us-east-1 is answered as an empty constraint, as AWS does.</summary>
public sealed class GetBucketLocation(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketLocation";

    protected override string Action => "s3:GetBucketLocation";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var output = new JsonObject();
        if (bucket.Region != "us-east-1")
        {
            output["LocationConstraint"] = bucket.Region;
        }

        return new OperationResult(output);
    }
}
