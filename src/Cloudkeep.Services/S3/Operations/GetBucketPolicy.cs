using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketPolicy: the policy text as it was put (NoSuchBucketPolicy when none).</summary>
public sealed class GetBucketPolicy(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketPolicy";

    protected override string Action => "s3:GetBucketPolicy";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var policy = bucket.Config.Policy ?? throw S3Errors.NoSuchBucketPolicy.ToException();
        return new OperationResult(new JsonObject { ["Policy"] = policy }, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(policy)));
    }
}
