using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:GetObjectAcl / s3:PutObjectAcl: the object's owner and grants. With ACLs disabled
/// (BucketOwnerEnforced) a put answers AccessControlListNotSupported and a get shows the owner's
/// full control only.
/// </summary>
public sealed class ObjectAcl(S3Context s3, bool put) : S3Operation(s3)
{
    public override string Operation => put ? "PutObjectAcl" : "GetObjectAcl";

    protected override string Action => put ? "s3:PutObjectAcl" : "s3:GetObjectAcl";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override string ActionFor(OperationRequest request) => WhenVersioned(request, put ? "s3:PutObjectVersionAcl" : "s3:GetObjectVersionAcl");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var record = await S3.RequireRequestObjectAsync(request, bucket, key, put ? "PUT" : "GET", cancellationToken);
        var meta = ObjectMeta.Parse(record.Meta);
        if (!put)
        {
            return new OperationResult(await ObjectAcls.ToAccessControlPolicyAsync(S3, record.OwnerAccount, meta.Grants, cancellationToken));
        }

        if (!bucket.Config.AclsEnabled)
        {
            throw S3Errors.AccessControlListNotSupported.ToException();
        }

        var grants = S3Input.Object(request.Input, "AccessControlPolicy") is { } policy
            ? ObjectAcls.FromAccessControlPolicy(policy, record.OwnerAccount)
            : ObjectAcls.Resolve(S3Input.String(request.Input, "ACL") ?? "private", [], bucket);
        var explicitGrants = ObjectAcls.ExplicitGrants(request.Input);
        meta.Document["Grants"] = S3Grant.ToJson(explicitGrants.Count > 0 ? explicitGrants : grants);
        var owner = record.OwnerAccount;
        if (bucket.Config.Ownership == BucketConfig.BucketOwnerPreferred && S3Input.String(request.Input, "ACL") == "bucket-owner-full-control")
        {
            owner = bucket.AccountId;
        }

        await S3.UpdateMetaAsync(record, meta.ToJson(), owner, cancellationToken);
        return OperationResult.Empty;
    }
}
