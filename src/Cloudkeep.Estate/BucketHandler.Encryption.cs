using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Default encryption, as canonical JSON <c>{"algorithm":…,"bucketKey":…,"kmsKeyId":…}</c> (see
/// EstateParser.Encryption). Every bucket has one since 2023: SSE-S3 (AES256, no bucket key) until
/// another is put, so a bucket that answers ServerSideEncryptionConfigurationNotFoundError reads
/// as that default. Apply always puts (never DeleteBucketEncryption): putting the default is the
/// same as resetting it, and the undo puts the live setting back.
/// </summary>
internal sealed partial class BucketHandler
{
    /// <summary>The setting a bucket has when nobody has put one.</summary>
    public const string DefaultEncryption = """{"algorithm":"AES256","bucketKey":false}""";

    private static async Task ReadEncryptionAsync(AmazonS3Client s3, EstateResource desired, Dictionary<string, string> live, CancellationToken cancellationToken)
    {
        if (!desired.Fields.ContainsKey("encryption"))
        {
            return;
        }

        var answer = await Optional(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = desired.Name }, cancellationToken), "ServerSideEncryptionConfigurationNotFoundError");
        var rule = answer?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
        if (rule?.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value is not { Length: > 0 } algorithm)
        {
            live["encryption"] = DefaultEncryption;
            return;
        }

        var json = new JsonObject { ["algorithm"] = algorithm, ["bucketKey"] = rule.BucketKeyEnabled == true };
        if (rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId is { Length: > 0 } keyId)
        {
            json["kmsKeyId"] = keyId;
        }

        live["encryption"] = CanonicalJson.Of(json);
    }

    private static async Task UpdateEncryptionAsync(AmazonS3Client s3, EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (!fields.Contains("encryption"))
        {
            return;
        }

        var name = resolved.Name;
        await PutEncryptionAsync(s3, name, resolved.Fields["encryption"], cancellationToken);
        var old = live.GetValueOrDefault("encryption") ?? DefaultEncryption;
        journal.Done("PutBucketEncryption", () => PutEncryptionAsync(s3, name, old, CancellationToken.None));
    }

    private static async Task PutEncryptionAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        var setting = JsonNode.Parse(json)!.AsObject();
        var rule = new ServerSideEncryptionRule
        {
            ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
            {
                ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.FindValue(setting["algorithm"]!.GetValue<string>()),
                ServerSideEncryptionKeyManagementServiceKeyId = setting["kmsKeyId"]?.GetValue<string>(),
            },
        };
        // Named only when on: S3 reports false for a request that leaves it out.
        if (setting["bucketKey"]?.GetValue<bool>() == true)
        {
            rule.BucketKeyEnabled = true;
        }

        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = name,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration { ServerSideEncryptionRules = [rule] },
        }, cancellationToken);
    }
}
