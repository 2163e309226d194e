using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The refusals of a bucket's block public access settings ("Blocking public access to your Amazon
/// S3 storage"): BlockPublicAcls refuses a request that would grant public access through an ACL
/// (canned, x-amz-grant-* or an AccessControlPolicy body); BlockPublicPolicy refuses a bucket policy
/// that grants public access. They are decided from the request and the bucket alone, so the
/// operation declares them when it describes the request and the authorize step answers them,
/// whatever the caller's policies allow. Input that cannot be read is left to the handler, which
/// answers its own validation error.
/// </summary>
internal static class PublicAccessBlock
{
    public static AwsException? AclRefusal(JsonObject input, BucketState bucket)
    {
        // A bucket with ACLs disabled answers any ACL with AccessControlListNotSupported instead.
        if (!bucket.Config.BlockPublicAcls || !bucket.Config.AclsEnabled)
        {
            return null;
        }

        try
        {
            var grants = S3Input.Object(input, "AccessControlPolicy") is { } policy
                ? ObjectAcls.FromAccessControlPolicy(policy, bucket.AccountId)
                : ObjectAcls.ExplicitGrants(input) is { Count: > 0 } explicitGrants
                    ? explicitGrants
                    : S3Input.String(input, "ACL") is { } acl && S3Grant.CannedAcls.Contains(acl)
                        ? S3Grant.FromCanned(acl, S3Context.CanonicalId(bucket.AccountId))
                        : [];
            return grants.Any(g => g.IsPublic) ? S3Errors.AccessDenied.ToException() : null;
        }
        catch (AwsException)
        {
            return null;
        }
    }

    public static AwsException? PolicyRefusal(string? policy, BucketState bucket)
    {
        if (!bucket.Config.BlockPublicPolicy || policy is null)
        {
            return null;
        }

        try
        {
            // A policy PutBucketPolicy would refuse as malformed gets that answer from the handler.
            if (!policy.TrimStart().StartsWith('{') || PolicyDocument.Parse(policy, PolicyKind.Bucket, "bucket-policy").Policy is null)
            {
                return null;
            }

            BucketPolicyResources.EnsureWithin(policy, bucket.Name);
            return PublicPolicies.IsPublic(policy)
                ? S3Errors.AccessDenied.ToException("User is not authorized to perform: s3:PutBucketPolicy on resource because public policies are blocked by the BlockPublicPolicy block public access setting.")
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or AwsException)
        {
            return null;
        }
    }
}
