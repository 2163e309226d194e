using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.S3;

/// <summary>
/// A bucket's default encryption (PutBucketEncryption's ServerSideEncryptionConfiguration), checked
/// as S3 checks it, and the algorithm a new object gets from it.
/// </summary>
public static class BucketEncryption
{
    public const string Part = "Encryption";
    public const string Aes256 = "AES256";
    public const string AwsKms = "aws:kms";
    public const string AwsKmsDsse = "aws:kms:dsse";

    /// <summary>What a general purpose bucket may name as its default ("aws:fsx" and "aws:backup" belong to other storage).</summary>
    private static readonly string[] BucketAlgorithms = [Aes256, AwsKms, AwsKmsDsse];

    /// <summary>The configuration every bucket has until one is put, and again after DeleteBucketEncryption.</summary>
    public static JsonNode SseS3Default() => new JsonObject
    {
        ["Rules"] = new JsonArray(new JsonObject
        {
            ["ApplyServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = Aes256 },
            ["BucketKeyEnabled"] = false,
        }),
    };

    /// <summary>
    /// S3's answers (recorded against AWS by LocalStack's test_s3_default_bucket_encryption_exc):
    /// no rule or more than one, or an algorithm outside the enum, is MalformedXML; a KMS key with
    /// AES256 is InvalidArgument naming ApplyServerSideEncryptionByDefault. S3 does not check that a
    /// KMSMasterKeyID names an existing key ("Amazon S3 doesn't validate the KMS key ID provided in
    /// PutBucketEncryption requests"), so neither does Cloudkeep.
    /// </summary>
    public static void Validate(JsonNode value)
    {
        if (value["Rules"] is not JsonArray { Count: 1 } rules || rules[0] is not JsonObject rule
            || rule["ApplyServerSideEncryptionByDefault"] is not JsonObject byDefault
            || S3Input.String(byDefault, "SSEAlgorithm") is not { } algorithm
            || !BucketAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (rule["BlockedEncryptionTypes"] is JsonObject blocked
            && blocked["EncryptionType"] is JsonArray types
            && types.Any(t => t?.GetValue<string>() is not ("NONE" or "SSE-C")))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (algorithm == Aes256 && byDefault["KMSMasterKeyID"] is not null)
        {
            throw new AwsException(S3Errors.InvalidArgument, "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
            {
                Fields = [new("ArgumentName", "ApplyServerSideEncryptionByDefault")],
            };
        }

        // Stored as Get answers it: S3 reports BucketKeyEnabled false when the request left it out.
        rule["BucketKeyEnabled"] ??= false;
    }

    /// <summary>The algorithm new objects of the bucket get when a write names none.</summary>
    public static string DefaultAlgorithm(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Get(Part)?["Rules"]?[0]?["ApplyServerSideEncryptionByDefault"]?["SSEAlgorithm"]?.GetValue<string>() ?? Aes256;
    }
}
