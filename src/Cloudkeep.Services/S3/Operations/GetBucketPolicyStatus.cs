using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketPolicyStatus: whether the bucket policy is public (NoSuchBucketPolicy when none).</summary>
public sealed class GetBucketPolicyStatus(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketPolicyStatus";

    protected override string Action => "s3:GetBucketPolicyStatus";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var policy = bucket.Config.Policy ?? throw S3Errors.NoSuchBucketPolicy.ToException();
        return new OperationResult(new JsonObject { ["PolicyStatus"] = new JsonObject { ["IsPublic"] = PublicPolicies.IsPublic(policy) } });
    }
}
