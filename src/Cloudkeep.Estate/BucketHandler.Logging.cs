using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Server access logging, as canonical JSON <c>{"bucket":"arn:aws:s3:::TARGET","prefix":…[,"partitionedBy":…]}</c>
/// (see EstateParser.Logging), <c>{}</c> when logging is off. Apply puts the status (an empty one
/// turns logging off), and the undo puts the live one back.
/// </summary>
internal sealed partial class BucketHandler
{
    private const string LoggingOff = "{}";

    private static async Task ReadLoggingAsync(AmazonS3Client s3, EstateResource desired, Dictionary<string, string> live, CancellationToken cancellationToken)
    {
        if (!desired.Fields.ContainsKey("logging"))
        {
            return;
        }

        var config = (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = desired.Name }, cancellationToken)).BucketLoggingConfig;
        if (config is not { TargetBucketName: { Length: > 0 } target })
        {
            live["logging"] = LoggingOff;
            return;
        }

        var logging = new JsonObject { ["bucket"] = "arn:aws:s3:::" + target, ["prefix"] = config.TargetPrefix ?? "" };
        if (config.TargetObjectKeyFormat?.PartitionedPrefix is { } partitioned)
        {
            logging["partitionedBy"] = partitioned.PartitionDateSource?.Value ?? "EventTime";
        }

        live["logging"] = CanonicalJson.Of(logging);
    }

    private static async Task UpdateLoggingAsync(AmazonS3Client s3, EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (!fields.Contains("logging"))
        {
            return;
        }

        var name = resolved.Name;
        await PutLoggingAsync(s3, name, resolved.Fields["logging"], cancellationToken);
        var old = live.GetValueOrDefault("logging") ?? LoggingOff;
        journal.Done("PutBucketLogging", () => PutLoggingAsync(s3, name, old, CancellationToken.None));
    }

    private static async Task PutLoggingAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        var logging = JsonNode.Parse(json)!.AsObject();
        var config = new S3BucketLoggingConfig();
        if (logging["bucket"]?.GetValue<string>() is { } arn)
        {
            config.TargetBucketName = arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) ? arn["arn:aws:s3:::".Length..] : arn;
            config.TargetPrefix = logging["prefix"]?.GetValue<string>() ?? "";
            config.TargetObjectKeyFormat = logging["partitionedBy"]?.GetValue<string>() is { } source
                ? new TargetObjectKeyFormat { PartitionedPrefix = new PartitionedPrefix { PartitionDateSource = new PartitionDateSource(source) } }
                : new TargetObjectKeyFormat { SimplePrefix = new SimplePrefix() };
        }

        await s3.PutBucketLoggingAsync(new PutBucketLoggingRequest { BucketName = name, LoggingConfig = config }, cancellationToken);
    }
}
