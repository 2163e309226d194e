using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The x-amz-copy-source of CopyObject and UploadPartCopy ("bucket/key", URL-encoded, optionally
/// with a leading slash and ?versionId=), the s3:GetObject check on it, and its conditions
/// (x-amz-copy-source-if-*: PreconditionFailed when one fails).
/// </summary>
internal sealed record CopySource(string Bucket, string Key, string? VersionId = null)
{
    /// <summary>The source the decode step read from x-amz-copy-source; InvalidArgument when it could not.</summary>
    public static CopySource Parse(System.Text.Json.Nodes.JsonObject input)
    {
        if (S3Input.Object(input, "CopySource") is not { } source || S3Input.String(source, "Bucket") is not { } bucket || S3Input.String(source, "Key") is not { } key)
        {
            throw S3Errors.InvalidArgument.ToException("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }

        var versionId = S3Input.String(source, "VersionId");
        return versionId is null || ObjectVersions.IsWellFormed(versionId)
            ? new CopySource(bucket, key, versionId)
            : throw S3Errors.InvalidArgument.ToException("Invalid version id specified");
    }

    /// <summary>The header as the client sent it (the s3:x-amz-copy-source condition key's value).</summary>
    public static string HeaderText(System.Text.Json.Nodes.JsonObject input) =>
        S3Input.Object(input, "CopySource") is { } source ? S3Input.String(source, "Header") ?? "" : S3Input.String(input, "CopySource") ?? "";

    /// <summary>Adds the copy source's read permission to what an operation's own target requires (CopyObject, UploadPartCopy).</summary>
    public static async Task<AuthorizationTarget> AlsoReadingAsync(S3Context s3, AuthorizationTarget target, OperationRequest request, CancellationToken cancellationToken)
    {
        var source = Parse(request.Input);
        return target with { AlsoRequired = [await source.ReadTargetAsync(s3, request.Caller, cancellationToken)] };
    }

    /// <summary>The read permission on the source, judged by the source bucket's own policy and owner.</summary>
    public async Task<AuthorizationTarget> ReadTargetAsync(S3Context s3, Caller caller, CancellationToken cancellationToken)
    {
        var bucket = await s3.RequireBucketAsync(Bucket, cancellationToken);
        ObjectFacts? facts = null;
        if (bucket.Config.AclsEnabled && await FindAsync(s3, bucket, cancellationToken) is { DeleteMarker: false } existing)
        {
            facts = new ObjectFacts(Key, existing.OwnerAccount, ObjectMeta.Parse(existing.Meta).Grants);
        }

        var conditions = VersionId is null ? null : new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["s3:versionid"] = [VersionId] };
        return new AuthorizationTarget(VersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", [S3Arns.ForObject(bucket.Name, Key)], conditions)
        {
            ResourceAccount = bucket.AccountId,
            ResourcePolicy = await S3ResourcePolicies.ForAsync(s3, bucket, caller, facts, cancellationToken),
        };
    }

    public async Task<S3ObjectRecord> RequireObjectAsync(S3Context s3, System.Text.Json.Nodes.JsonObject input, CancellationToken cancellationToken)
    {
        var bucket = await s3.RequireBucketAsync(Bucket, cancellationToken);
        var record = await FindAsync(s3, bucket, cancellationToken)
            ?? throw (VersionId is null ? new AwsException(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage) { Fields = [new("Key", Key)] } : ObjectVersions.NoSuchVersion(Key, VersionId));
        if (record.DeleteMarker)
        {
            throw S3Errors.InvalidRequest.ToException("The source of a copy request may not specifically refer to a delete marker by version id.");
        }

        var ifMatch = S3Input.Array(input, "CopySourceIfMatch");
        var ifNoneMatch = S3Input.Array(input, "CopySourceIfNoneMatch");
        var modifiedSince = S3Input.Timestamp(input, "CopySourceIfModifiedSince");
        var unmodifiedSince = S3Input.Timestamp(input, "CopySourceIfUnmodifiedSince");
        var lastModified = DateTimeOffset.FromUnixTimeSeconds(record.LastModified.ToUnixTimeSeconds());

        // "If both ... if-match and ... if-unmodified-since are present and ... if-match evaluates to
        // true, and if-unmodified-since evaluates to false, Amazon S3 returns 200" (CopyObject).
        var failed = ifMatch is not null ? !ObjectReads.ETagMatches(ifMatch, record.ETag) : unmodifiedSince is { } u && lastModified > u;
        failed |= ifNoneMatch is not null ? ObjectReads.ETagMatches(ifNoneMatch, record.ETag) : modifiedSince is { } m && lastModified <= m;
        if (failed)
        {
            throw S3Errors.PreconditionFailed.ToException();
        }

        return record;
    }

    /// <summary>The source object: its current version (null when that is a delete marker), or the version named, delete markers included.</summary>
    private async Task<S3ObjectRecord?> FindAsync(S3Context s3, BucketState bucket, CancellationToken cancellationToken) =>
        VersionId is null
            ? await s3.Repository.GetObjectAsync(bucket.Name, Key, cancellationToken)
            : (await s3.Repository.GetVersionAsync(bucket.Name, Key, VersionId, cancellationToken))?.Version;
}
