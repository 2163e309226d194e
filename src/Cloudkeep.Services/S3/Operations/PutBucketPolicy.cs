using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutBucketPolicy: a valid bucket policy (Principal required, resources within this bucket),
/// refused with AccessDenied when it is public and the bucket blocks public policies.
/// </summary>
public sealed class PutBucketPolicy(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketPolicy";

    protected override string Action => "s3:PutBucketPolicy";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = await base.DescribeAsync(request, cancellationToken);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        return target with { Refusal = PublicAccessBlock.PolicyRefusal(S3Input.String(request.Input, "Policy"), bucket) ?? target.Refusal };
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var text = S3Input.String(request.Input, "Policy") ?? "";
        if (!text.TrimStart().StartsWith('{'))
        {
            throw S3Errors.MalformedPolicy.ToException();
        }

        var parsed = PolicyDocument.Parse(text, PolicyKind.Bucket, "bucket-policy");
        if (parsed.Policy is null)
        {
            throw S3Errors.MalformedPolicy.ToException(parsed.Errors.Count > 0 ? parsed.Errors[0].Message : null);
        }

        BucketPolicyResources.EnsureWithin(text, bucket.Name);
        await S3.SaveConfigAsync(bucket, bucket.Config.With("Policy", text), cancellationToken);
        return OperationResult.Empty;
    }
}
