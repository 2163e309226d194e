using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.S3.Logging;

/// <summary>Where a bucket's server access logs go: the target bucket, the key prefix, and the key format.</summary>
public sealed record LoggingTarget(string Bucket, string Prefix, bool Partitioned, bool ByEventTime);

/// <summary>
/// A bucket's server access logging status as PutBucketLogging takes it ("Enabling Amazon S3 server
/// access logging"): checked when it is put as S3 checks it — the target bucket must exist, belong
/// to the same account and be in the same region (InvalidTargetBucketForLogging,
/// CrossLocationLoggingProhibitted) — and stored in the model's shape. Whether the target's policy
/// lets the logging service write is not checked here, as on AWS: deliveries it refuses are counted
/// and dropped.
/// </summary>
internal static class BucketLogging
{
    public const string Part = "Logging";

    /// <summary>What to store: the LoggingEnabled member, or null when the request turns logging off.</summary>
    public static async Task<JsonObject?> ValidateAsync(S3Context s3, BucketState source, JsonObject? status, CancellationToken cancellationToken)
    {
        if (status is null)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (S3Input.Object(status, "LoggingEnabled") is not { } enabled)
        {
            return null;
        }

        if (S3Input.String(enabled, "TargetBucket") is not { Length: > 0 } targetName || S3Input.String(enabled, "TargetPrefix") is null)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var target = await s3.FindBucketAsync(targetName, cancellationToken);
        if (target is null)
        {
            throw Invalid(targetName, S3Errors.InvalidTargetBucketForLogging.DefaultMessage);
        }

        if (target.AccountId != source.AccountId)
        {
            throw Invalid(targetName, "The owner for the bucket to be logged and the target bucket must be the same.");
        }

        if (target.Region != source.Region)
        {
            throw new AwsException(S3Errors.CrossLocationLoggingProhibited, S3Errors.CrossLocationLoggingProhibited.DefaultMessage)
            {
                Fields = [new("SourceBucketLocation", source.Region), new("TargetBucketLocation", target.Region)],
            };
        }

        if (enabled["TargetGrants"] is JsonArray { Count: > 0 } && !target.Config.AclsEnabled)
        {
            throw Invalid(targetName, "The target bucket has the bucket owner enforced setting for Object Ownership, which does not support target grants.");
        }

        if (S3Input.Object(enabled, "TargetObjectKeyFormat") is { } format)
        {
            var simple = format.ContainsKey("SimplePrefix");
            var partitioned = S3Input.Object(format, "PartitionedPrefix");
            if (simple == (partitioned is not null)
                || (partitioned is not null && S3Input.String(partitioned, "PartitionDateSource") is not (null or "EventTime" or "DeliveryTime")))
            {
                throw S3Errors.MalformedXml.ToException();
            }
        }

        return (JsonObject)enabled.DeepClone();
    }

    /// <summary>The bucket's logging target, or null when it does not log.</summary>
    public static LoggingTarget? TargetOf(BucketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get(Part) is not JsonObject enabled || S3Input.String(enabled, "TargetBucket") is not { } bucket)
        {
            return null;
        }

        var partitioned = S3Input.Object(S3Input.Object(enabled, "TargetObjectKeyFormat") ?? [], "PartitionedPrefix");
        return new LoggingTarget(bucket, S3Input.String(enabled, "TargetPrefix") ?? "", partitioned is not null, S3Input.String(partitioned ?? [], "PartitionDateSource") == "EventTime");
    }

    private static AwsException Invalid(string target, string message) =>
        new(S3Errors.InvalidTargetBucketForLogging, message) { Fields = [new("TargetBucket", target)] };
}
