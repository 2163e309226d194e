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

    /// <summary>
    /// The configuration every bucket has until one is put, and again after DeleteBucketEncryption.
    /// SSE-C is blocked in it, as on every bucket AWS has created since April 2026 ("All new buckets
    /// will now have SSE-C as BlockedEncryptionType by default"); Cloudkeep never stored an SSE-C
    /// object before, so its older buckets are those of "accounts with no SSE-C encrypted data",
    /// which AWS blocked as well.
    /// </summary>
    public static JsonNode SseS3Default() => new JsonObject
    {
        ["Rules"] = new JsonArray(new JsonObject
        {
            ["ApplyServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = Aes256 },
            ["BucketKeyEnabled"] = false,
            ["BlockedEncryptionTypes"] = Blocked(BlockedSseC),
        }),
    };

    /// <summary>
    /// The default of a bucket made with the server's legacy bucket defaults (S3 before April 2023,
    /// and before April 2026 for SSE-C): SSE-S3 with SSE-C allowed.
    /// </summary>
    public static JsonNode LegacyDefault()
    {
        var configuration = SseS3Default();
        configuration["Rules"]![0]!["BlockedEncryptionTypes"] = Blocked(BlockedNone);
        return configuration;
    }

    public const string BlockedSseC = "SSE-C";
    public const string BlockedNone = "NONE";

    private static JsonObject Blocked(string type) => new() { ["EncryptionType"] = new JsonArray(type) };

    /// <summary>
    /// S3's answers (recorded against AWS by LocalStack's test_s3_default_bucket_encryption_exc):
    /// no rule or more than one, or an algorithm outside the enum, is MalformedXML; a KMS key with
    /// AES256 is InvalidArgument naming ApplyServerSideEncryptionByDefault. S3 does not check that a
    /// KMSMasterKeyID names an existing key ("Amazon S3 doesn't validate the KMS key ID provided in
    /// PutBucketEncryption requests"), so neither does Cloudkeep.
    /// </summary>
    public static void Validate(JsonNode value, BucketState bucket)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(bucket);
        if (value["Rules"] is not JsonArray { Count: 1 } rules || rules[0] is not JsonObject rule)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        // A rule may carry only BlockedEncryptionTypes ({"Rules":[{"BlockedEncryptionTypes":
        // {"EncryptionType":["NONE"]}}]} is AWS's own example for unblocking SSE-C): the default
        // encryption is then SSE-S3, as ApplyServerSideEncryptionByDefault is optional in the model.
        var byDefault = rule["ApplyServerSideEncryptionByDefault"] as JsonObject;
        if (byDefault is null && rule["ApplyServerSideEncryptionByDefault"] is null && rule["BlockedEncryptionTypes"] is not null)
        {
            byDefault = new JsonObject { ["SSEAlgorithm"] = Aes256 };
            rule["ApplyServerSideEncryptionByDefault"] = byDefault;
        }

        if (byDefault is null
            || S3Input.String(byDefault, "SSEAlgorithm") is not { } algorithm
            || !BucketAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (rule["BlockedEncryptionTypes"] is JsonObject blocked
            && (blocked["EncryptionType"] is not JsonArray types
                || types.Any(t => t is not JsonValue v || !v.TryGetValue<string>(out var type) || type is not (BlockedNone or BlockedSseC))))
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

        // Stored as Get answers it: S3 reports BucketKeyEnabled false when the request left it out,
        // and a configuration put without BlockedEncryptionTypes keeps the bucket's block as it was
        // (Terraform's acceptance tests of April 2026 read SSE-C back after such a put).
        rule["BucketKeyEnabled"] ??= false;
        rule["BlockedEncryptionTypes"] ??= Rule(bucket.Config)?["BlockedEncryptionTypes"]?.DeepClone() ?? Blocked(BlockedSseC);
    }

    /// <summary>Whether writes naming SSE-C are refused (403 AccessDenied): the bucket's rule blocks SSE-C, as every bucket's does until unblocked.</summary>
    public static bool BlocksCustomerKeys(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Rule(config)?["BlockedEncryptionTypes"]?["EncryptionType"] is not JsonArray types
            || types.Any(t => t?.GetValue<string>() == BlockedSseC);
    }

    /// <summary>The KMS key a bucket's SSE-KMS default names (KMSMasterKeyID), or null for the account's aws/s3 key.</summary>
    public static string? DefaultKmsKeyId(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Rule(config)?["ApplyServerSideEncryptionByDefault"]?["KMSMasterKeyID"]?.GetValue<string>();
    }

    /// <summary>The bucket's BucketKeyEnabled, which SSE-KMS writes use unless their request says otherwise.</summary>
    public static bool BucketKeyEnabled(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Rule(config)?["BucketKeyEnabled"]?.GetValue<bool>() == true;
    }

    private static JsonNode? Rule(BucketConfig config) => config.Get(Part)?["Rules"]?[0];

    /// <summary>The algorithm new objects of the bucket get when a write names none.</summary>
    public static string DefaultAlgorithm(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Get(Part)?["Rules"]?[0]?["ApplyServerSideEncryptionByDefault"]?["SSEAlgorithm"]?.GetValue<string>() ?? Aes256;
    }
}
