using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketAcl / s3:PutBucketAcl: the bucket's grants (canned or an AccessControlPolicy), refused while ACLs are disabled.</summary>
public sealed class BucketAcl(S3Context s3, bool put) : S3Operation(s3)
{
    public override string Operation => put ? "PutBucketAcl" : "GetBucketAcl";

    protected override string Action => put ? "s3:PutBucketAcl" : "s3:GetBucketAcl";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        if (!put)
        {
            return new OperationResult(await ObjectAcls.ToAccessControlPolicyAsync(S3, bucket.AccountId, bucket.Config.Grants, cancellationToken));
        }

        var acl = S3Input.String(request.Input, "ACL");
        var explicitGrants = ObjectAcls.ExplicitGrants(request.Input);
        if (!bucket.Config.AclsEnabled)
        {
            if ((acl is not null && acl != "private") || explicitGrants.Count > 0 || S3Input.Object(request.Input, "AccessControlPolicy") is not null)
            {
                throw S3Errors.AccessControlListNotSupported.ToException();
            }

            return OperationResult.Empty;
        }

        var grants = S3Input.Object(request.Input, "AccessControlPolicy") is { } policy
            ? ObjectAcls.FromAccessControlPolicy(policy, bucket.AccountId)
            : explicitGrants.Count > 0 ? explicitGrants : ObjectAcls.Resolve(acl ?? "private", [], bucket);
        await S3.SaveConfigAsync(bucket, bucket.Config.With("Grants", S3Grant.ToJson(grants)), cancellationToken);
        return OperationResult.Empty;
    }
}
