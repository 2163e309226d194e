using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:CreateBucket: a valid, globally unique name in the region its LocationConstraint names
/// (else the request's region). ACLs start disabled and public access blocked, as on AWS.
/// </summary>
public sealed class CreateBucket(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "CreateBucket";

    protected override string Action => "s3:CreateBucket";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = S3Input.Bucket(request.Input);
        if (!BucketNames.IsValid(name))
        {
            throw S3Errors.InvalidBucketName.ToException();
        }

        var keys = ConditionKeys(request);
        keys["s3:LocationConstraint"] = [RegionOf(request)];
        return ValueTask.FromResult(new AuthorizationTarget(Action, [S3Arns.ForBucket(name)], keys));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = S3Input.Bucket(request.Input);
        var region = RegionOf(request);
        // Before April 2023, S3 made new buckets with ACLs enabled (object writer owns) and no public access block.
        var ownership = S3Input.String(request.Input, "ObjectOwnership") ?? (S3.LegacyBucketDefaults ? BucketConfig.ObjectWriter : BucketConfig.BucketOwnerEnforced);
        var acl = S3Input.String(request.Input, "ACL");
        if (acl is not null && acl != "private" && ownership == BucketConfig.BucketOwnerEnforced)
        {
            throw S3Errors.InvalidBucketAclWithObjectOwnership.ToException();
        }

        var config = BucketConfig.NewBucket(ownership, S3.LegacyBucketDefaults);
        if (acl is not null)
        {
            if (!S3Grant.CannedAcls.Contains(acl))
            {
                throw S3Errors.InvalidArgument.ToException();
            }

            config = config.With("Grants", S3Grant.ToJson(S3Grant.FromCanned(acl, S3Context.CanonicalId(request.Caller.AccountId))));
        }

        if (S3Input.Boolean(request.Input, "ObjectLockEnabledForBucket") == true)
        {
            // Object Lock comes with versioning, which can then never be suspended.
            config = config.With(BucketVersioning.Part, new System.Text.Json.Nodes.JsonObject { ["Status"] = "Enabled" })
                .With(ObjectLock.ObjectLockConfiguration.Part, ObjectLock.ObjectLockConfiguration.Enabled());
        }

        var record = new S3BucketRecord(name, request.Caller.AccountId, region, S3.Time.GetUtcNow(), config.ToJson());
        S3.Forget(name);
        if (!await S3.Repository.CreateBucketAsync(record, cancellationToken))
        {
            var existing = await S3.Repository.GetBucketAsync(name, cancellationToken);
            if (existing?.AccountId != request.Caller.AccountId)
            {
                throw S3Errors.BucketAlreadyExists.ToException();
            }

            // "For legacy compatibility, if you re-create an existing bucket that you already own in
            // the North Virginia Region, Amazon S3 returns 200 OK" (CreateBucket, Errors).
            if (existing.Region != "us-east-1" || region != "us-east-1")
            {
                throw S3Errors.BucketAlreadyOwnedByYou.ToException();
            }
        }

        S3.Forget(name);
        return new OperationResult(new JsonObject { ["Location"] = "/" + name });
    }

    private static string RegionOf(OperationRequest request)
    {
        var constraint = S3Input.Object(request.Input, "CreateBucketConfiguration") is { } configuration
            ? S3Input.String(configuration, "LocationConstraint")
            : null;
        if (constraint is null)
        {
            // "If you don't specify a Region, the bucket is created in the US East (N. Virginia)
            // Region (us-east-1)": one endpoint serves every region here, so that rule applies as is.
            return "us-east-1";
        }

        return S3Regions.FromLocationConstraint(constraint) ?? throw S3Errors.InvalidLocationConstraint.ToException();
    }
}
