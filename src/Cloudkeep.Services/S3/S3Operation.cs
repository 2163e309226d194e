using System.Text;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Which resource an S3 operation acts on, hence its ARN in authorization.</summary>
public enum S3Scope
{
    /// <summary>No bucket (ListBuckets): resource "*".</summary>
    Service,

    Bucket,

    ObjectKey,
}

/// <summary>
/// The shared shape of an S3 operation: its IAM action and scope, the bucket looked up (NoSuchBucket
/// before any permission check, as S3 answers), the resource ARN, the resource policy (bucket policy
/// plus ACL grants) and the S3 condition keys of the request.
/// </summary>
public abstract class S3Operation(S3Context s3) : IOperationHandler
{
    public const int MaxKeyBytes = 1024;

    protected S3Context S3 { get; } = s3;

    public string Service => "s3";

    public abstract string Operation { get; }

    /// <summary>The IAM action ("s3:GetObject"), from "Actions, resources, and condition keys for Amazon S3".</summary>
    protected abstract string Action { get; }

    /// <summary>The action this request needs: the operation's own, or its version-specific one when the request names a version.</summary>
    protected virtual string ActionFor(OperationRequest request) => Action;

    /// <summary>For operations whose version-specific form is its own IAM action (s3:GetObjectVersion, ...).</summary>
    protected string WhenVersioned(OperationRequest request, string versionAction)
    {
        ArgumentNullException.ThrowIfNull(request);
        return S3Input.String(request.Input, "VersionId") is null ? Action : versionAction;
    }

    protected virtual S3Scope Scope => S3Scope.Bucket;

    /// <summary>Whether authorization consults the existing object's ACL (reads do; a write replacing it does not).</summary>
    protected virtual bool UsesObjectAcl => true;

    public virtual async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Scope == S3Scope.Service)
        {
            return new AuthorizationTarget(ActionFor(request), ["*"], ConditionKeys(request));
        }

        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        request.Facts.Set(bucket);
        ObjectFacts? facts = null;
        string resource;
        if (Scope == S3Scope.ObjectKey)
        {
            var key = RequireKey(request);
            resource = S3Arns.ForObject(bucket.Name, key);
            if (bucket.Config.AclsEnabled && UsesObjectAcl)
            {
                facts = await ObjectFactsAsync(request, bucket, key, cancellationToken);
            }
        }
        else
        {
            resource = S3Arns.ForBucket(bucket.Name);
        }

        var target = new AuthorizationTarget(ActionFor(request), [resource], ConditionKeys(request))
        {
            Refusal = PublicAccessBlock.AclRefusal(request.Input, bucket),
            ResourceAccount = bucket.AccountId,
            ResourcePolicy = await S3ResourcePolicies.ForAsync(S3, bucket, request.Caller, facts, cancellationToken),
        };

        // Asking to bypass GOVERNANCE retention is itself a permission.
        return Scope == S3Scope.ObjectKey && Bypass(request)
            ? target with { AlsoRequired = [target with { Action = BypassAction }] }
            : target;
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>The ACL facts of an existing object (for ACL-enabled buckets); null when there is no such object yet.</summary>
    internal async Task<ObjectFacts?> ObjectFactsAsync(OperationRequest request, BucketState bucket, string key, CancellationToken cancellationToken)
    {
        S3ObjectRecord? existing;
        if (ObjectVersions.Requested(request.Input) is { } versionId)
        {
            var entry = await S3.Repository.GetVersionAsync(bucket.Name, key, versionId, cancellationToken);
            if (entry is not null)
            {
                request.Facts.Set(entry);
            }

            existing = entry?.Version is { DeleteMarker: false } version ? version : null;
        }
        else
        {
            existing = await S3.Repository.GetObjectAsync(bucket.Name, key, cancellationToken);
            if (existing is not null)
            {
                request.Facts.Set(existing);
            }
        }

        return existing is null ? null : new ObjectFacts(key, existing.OwnerAccount, ObjectMeta.Parse(existing.Meta).Grants);
    }

    public const string BypassAction = "s3:BypassGovernanceRetention";

    /// <summary>x-amz-bypass-governance-retention: true.</summary>
    protected static bool Bypass(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return S3Input.Boolean(request.Input, "BypassGovernanceRetention") == true;
    }

    /// <summary>The request's S3 condition keys; operations add their own.</summary>
    protected virtual Dictionary<string, IReadOnlyList<string>> ConditionKeys(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (S3Input.String(request.Input, "ACL") is { } acl)
        {
            keys["s3:x-amz-acl"] = [acl];
        }

        if (!request.Caller.IsAnonymous)
        {
            keys["s3:signatureversion"] = [request.SignedWithSigV2 ? "AWS" : "AWS4-HMAC-SHA256"];
        }

        // The header as sent (s3:x-amz-server-side-encryption), so a bucket policy can require it.
        if (S3Input.String(request.Input, "ServerSideEncryption") is { } encryption)
        {
            keys["s3:x-amz-server-side-encryption"] = [encryption];
        }

        // The key id as sent (s3:x-amz-server-side-encryption-aws-kms-key-id), so a policy can require a given key.
        if (S3Input.String(request.Input, "SSEKMSKeyId") is { } kmsKeyId)
        {
            keys["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [kmsKeyId];
        }

        if (S3Input.String(request.Input, "VersionId") is { } versionId)
        {
            keys["s3:versionid"] = [versionId];
        }

        return keys;
    }

    /// <summary>The object key: non-empty and at most 1024 bytes of UTF-8 (KeyTooLongError).</summary>
    protected static string RequireKey(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = S3Input.Key(request.Input);
        if (key.Length == 0)
        {
            throw S3Errors.InvalidArgument.ToException("The key must not be empty.");
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw S3Errors.KeyTooLong.ToException();
        }

        return key;
    }
}
