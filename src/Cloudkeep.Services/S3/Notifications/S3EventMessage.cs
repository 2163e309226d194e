using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.S3.Notifications;

/// <summary>
/// S3's event message structure, version 2.1 ("Event message structure", Amazon S3 User Guide):
/// one record per event with the bucket, the object's URL-encoded key, size, ETag, version id and
/// a sequencer that orders events of one key. SNS carries it as the message of a notification
/// whose subject is "Amazon S3 Notification".
/// </summary>
public static class S3EventMessage
{
    public const string Subject = "Amazon S3 Notification";

    public sealed record ObjectEvent(string Key, long Size, string ETag, string? VersionId, DateTimeOffset At);

    public static string Record(string region, string eventName, Caller caller, string sourceIp, string requestId, string configurationId, BucketState bucket, ObjectEvent item)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(item);
        // URL-encoded as a form value ("red flower.jpg" is "red+flower.jpg"), with the slashes kept.
        var s3Object = new JsonObject { ["key"] = string.Join('/', item.Key.Split('/').Select(System.Net.WebUtility.UrlEncode)) };
        if (!eventName.StartsWith("ObjectRemoved", StringComparison.Ordinal))
        {
            s3Object["size"] = item.Size;
            s3Object["eTag"] = item.ETag.Trim('"');
        }

        if (item.VersionId is not null)
        {
            s3Object["versionId"] = item.VersionId;
        }

        s3Object["sequencer"] = item.At.UtcTicks.ToString("X16", CultureInfo.InvariantCulture);
        var record = new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = region,
            ["eventTime"] = Sns.SnsMessages.Timestamp(item.At),
            ["eventName"] = eventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = caller.IsAnonymous ? "Anonymous" : "AWS:" + caller.UserId },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = sourceIp },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = requestId, ["x-amz-id-2"] = requestId },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = configurationId,
                ["bucket"] = new JsonObject
                {
                    ["name"] = bucket.Name,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = S3Context.CanonicalId(bucket.AccountId) },
                    ["arn"] = S3Arns.ForBucket(bucket.Name),
                },
                ["object"] = s3Object,
            },
        };
        return new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString();
    }

    /// <summary>What S3 sends each destination when a configuration is put ("s3:TestEvent").</summary>
    public static string TestEvent(string bucket, DateTimeOffset at, string requestId) => new JsonObject
    {
        ["Service"] = "Amazon S3",
        ["Event"] = "s3:TestEvent",
        ["Time"] = Sns.SnsMessages.Timestamp(at),
        ["Bucket"] = bucket,
        ["RequestId"] = requestId,
        ["HostId"] = requestId,
    }.ToJsonString();
}
