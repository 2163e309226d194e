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

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequireBucketAsync(S3Input.Bucket(request.Input), cancellationToken);
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
        if (bucket.Config.BlockPublicPolicy && PublicPolicies.IsPublic(text))
        {
            throw S3Errors.AccessDenied.ToException("User is not authorized to perform: s3:PutBucketPolicy on resource because public policies are blocked by the BlockPublicPolicy block public access setting.");
        }

        await S3.SaveConfigAsync(bucket, bucket.Config.With("Policy", text), cancellationToken);
        return OperationResult.Empty;
    }
}
