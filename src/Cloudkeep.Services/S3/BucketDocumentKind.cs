using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.S3;

/// <summary>
/// One kind of bucket configuration document that S3 serves with a Put/Get/Delete triple: where it
/// is kept in the bucket's config, the input/output member carrying it, its IAM actions, the error
/// when absent, how a new value is checked before it is stored, and whether Get answers the stored
/// document's members themselves (GetBucketTagging's TagSet, GetBucketCors's CORSRules) rather than
/// one member holding it. A kind with a <see cref="Default"/> is never absent: Get answers the
/// default, and Delete returns the bucket to it.
/// </summary>
public sealed record BucketDocumentKind(
    string Name,
    string Part,
    string Member,
    string PutAction,
    string GetAction,
    string DeleteAction,
    AwsError NotFound,
    Action<JsonNode, BucketState>? Validate = null,
    bool OutputsMembers = false,
    Func<JsonNode>? Default = null)
{

    public static readonly BucketDocumentKind PublicAccessBlock = new(
        "PublicAccessBlock", "PublicAccessBlock", "PublicAccessBlockConfiguration",
        "s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
        S3Errors.NoSuchPublicAccessBlockConfiguration);

    public static readonly BucketDocumentKind Tagging = new(
        "BucketTagging", "Tagging", "Tagging",
        "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:PutBucketTagging",
        S3Errors.NoSuchTagSet, (value, _) => S3Tags.Validate(value["TagSet"] as JsonArray), OutputsMembers: true);

    public static readonly BucketDocumentKind Cors = new(
        "BucketCors", "Cors", "CORSConfiguration",
        "s3:PutBucketCORS", "s3:GetBucketCORS", "s3:PutBucketCORS",
        S3Errors.NoSuchCorsConfiguration, (value, _) => S3Cors.Validate(value), OutputsMembers: true);

    public static readonly BucketDocumentKind OwnershipControls = new(
        "BucketOwnershipControls", "Ownership", "OwnershipControls",
        "s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls",
        S3Errors.OwnershipControlsNotFound, ValidateOwnership);

    /// <summary>
    /// Default encryption. Every bucket has one since January 2023 (SSE-S3, "Amazon S3 now
    /// automatically encrypts all new objects"): Get answers it for a bucket never configured, and
    /// DeleteBucketEncryption "resets the default encryption for the bucket as SSE-S3".
    /// </summary>
    public static readonly BucketDocumentKind Encryption = new(
        "BucketEncryption", BucketEncryption.Part, "ServerSideEncryptionConfiguration",
        "s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
        S3Errors.ServerSideEncryptionConfigurationNotFound, BucketEncryption.Validate, Default: BucketEncryption.SseS3Default);

    public static IReadOnlyList<BucketDocumentKind> All { get; } = [PublicAccessBlock, Tagging, Cors, OwnershipControls, Encryption];

    private static void ValidateOwnership(JsonNode value, BucketState bucket)
    {
        var rules = value["Rules"] as JsonArray;
        if (rules is not { Count: 1 } || rules[0]?["ObjectOwnership"]?.GetValue<string>() is not (BucketConfig.BucketOwnerEnforced or BucketConfig.BucketOwnerPreferred or BucketConfig.ObjectWriter))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (rules[0]!["ObjectOwnership"]!.GetValue<string>() == BucketConfig.BucketOwnerEnforced && bucket.Config.Grants.Count > 0)
        {
            throw S3Errors.InvalidBucketAclWithObjectOwnership.ToException();
        }
    }
}
