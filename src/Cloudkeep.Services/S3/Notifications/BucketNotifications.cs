using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.S3.Notifications;

/// <summary>
/// A bucket's event notification configuration ("Amazon S3 Event Notifications"): SNS topic
/// destinations with their event types and key filters, checked as S3 checks them on PUT — known
/// event names, at most one prefix and one suffix rule, no two configurations sharing an event type
/// over overlapping keys, and every topic existing and letting s3.amazonaws.com publish for this
/// bucket (S3 sends each a test event then). SQS, Lambda and EventBridge destinations are not served.
/// </summary>
public static class BucketNotifications
{
    public const string Part = "Notification";

    public const string ServicePrincipal = "s3.amazonaws.com";

    private static readonly HashSet<string> EventNames = new(StringComparer.Ordinal)
    {
        "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
        "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
        "s3:ReducedRedundancyLostObject", "s3:Replication:*", "s3:Replication:OperationFailedReplication",
        "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked",
        "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition",
        "s3:IntelligentTiering", "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put",
    };

    /// <summary>One topic destination as stored: the events it wants and its key filter.</summary>
    public sealed record TopicDestination(string Id, string TopicArn, IReadOnlyList<string> Events, string Prefix, string Suffix)
    {
        public bool Wants(string eventName, string key) =>
            key.StartsWith(Prefix, StringComparison.Ordinal) && key.EndsWith(Suffix, StringComparison.Ordinal)
            && Events.Any(e => e == "s3:" + eventName || (e.EndsWith(":*", StringComparison.Ordinal) && ("s3:" + eventName).StartsWith(e[..^1], StringComparison.Ordinal)));
    }

    /// <summary>The configuration to store (null for an empty one, which turns notifications off), after every check.</summary>
    public static async Task<JsonObject?> ValidateAsync(S3Context s3, BucketState bucket, JsonObject? configuration, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(bucket);
        configuration ??= [];
        foreach (var unsupported in new[] { "QueueConfigurations", "LambdaFunctionConfigurations", "EventBridgeConfiguration" })
        {
            if (configuration[unsupported] is JsonArray { Count: > 0 } or JsonObject)
            {
                throw CommonErrors.NotImplemented.ToException($"Cloudkeep sends S3 event notifications to SNS topics only; {unsupported} are not supported.");
            }
        }

        var destinations = Read(configuration);
        if (destinations.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < destinations.Count; i++)
        {
            for (var j = i + 1; j < destinations.Count; j++)
            {
                if (Overlap(destinations[i], destinations[j]))
                {
                    throw Invalid("Configurations overlap. Configurations on the same bucket cannot share a common event type.", "Event", destinations[j].Events[0]);
                }
            }
        }

        var unreachable = new List<string>();
        foreach (var destination in destinations)
        {
            if (s3.Notifications is not { } publisher
                || await publisher.AllowedTopicAsync(destination.TopicArn, ServicePrincipal, S3Arns.ForBucket(bucket.Name), bucket.AccountId, cancellationToken) is null)
            {
                unreachable.Add(destination.TopicArn);
            }
        }

        if (unreachable.Count > 0)
        {
            throw new AwsException(S3Errors.InvalidArgument, "Unable to validate the following destination configurations")
            {
                Fields = [.. unreachable.Select(arn => new KeyValuePair<string, string>("ArgumentName", arn)), new("ArgumentValue", "Permissions on the destination topic do not allow S3 to publish notifications from this bucket")],
            };
        }

        foreach (var destination in destinations.DistinctBy(d => d.TopicArn))
        {
            var topic = await s3.Notifications!.AllowedTopicAsync(destination.TopicArn, ServicePrincipal, S3Arns.ForBucket(bucket.Name), bucket.AccountId, cancellationToken);
            await s3.Notifications.PublishAsync(topic!, S3EventMessage.Subject, S3EventMessage.TestEvent(bucket.Name, s3.Time.GetUtcNow(), requestId), cancellationToken);
        }

        return Write(destinations);
    }

    /// <summary>The stored configuration's destinations (nothing when the bucket has none).</summary>
    public static IReadOnlyList<TopicDestination> Of(BucketState bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return bucket.Config.Get(Part) is JsonObject stored ? Read(stored) : [];
    }

    /// <summary>The configuration as GetBucketNotificationConfiguration answers it.</summary>
    public static JsonObject Output(BucketState bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return bucket.Config.Get(Part) is JsonObject stored ? (JsonObject)stored.DeepClone() : [];
    }

    private static List<TopicDestination> Read(JsonObject configuration)
    {
        var destinations = new List<TopicDestination>();
        foreach (var item in (configuration["TopicConfigurations"] as JsonArray).Objects())
        {
            var events = (item["Events"] as JsonArray).Strings().ToList();
            if (events.Count == 0)
            {
                throw Invalid("A notification configuration must name at least one event.", "Event", "");
            }

            foreach (var name in events.Where(e => !EventNames.Contains(e)))
            {
                throw Invalid("The event is not supported for notifications", "Event", name);
            }

            string prefix = "", suffix = "";
            bool hasPrefix = false, hasSuffix = false;
            foreach (var rule in ((item["Filter"] as JsonObject)?["Key"] as JsonObject)?["FilterRules"] as JsonArray ?? [])
            {
                var name = (rule?["Name"]?.GetValue<string>() ?? "").ToLowerInvariant();
                var value = rule?["Value"]?.GetValue<string>() ?? "";
                switch (name)
                {
                    case "prefix" when !hasPrefix:
                        (prefix, hasPrefix) = (value, true);
                        break;
                    case "suffix" when !hasSuffix:
                        (suffix, hasSuffix) = (value, true);
                        break;
                    case "prefix" or "suffix":
                        throw Invalid("Cannot specify more than one " + name + " rule in a filter.", "FilterRule", name);
                    default:
                        throw Invalid("filter rule name must be either prefix or suffix", "FilterRule", name);
                }

                if (value.Length > 1024)
                {
                    throw Invalid("The filter rule value is longer than 1024 characters.", "FilterRule", name);
                }
            }

            var id = item["Id"]?.GetValue<string>() is { Length: > 0 } given ? given : Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
            destinations.Add(new TopicDestination(id, item["TopicArn"]?.GetValue<string>() ?? "", events, prefix, suffix));
        }

        return destinations;
    }

    private static JsonObject Write(List<TopicDestination> destinations) => new()
    {
        ["TopicConfigurations"] = new JsonArray([.. destinations.Select(d =>
        {
            var item = new JsonObject { ["Id"] = d.Id, ["TopicArn"] = d.TopicArn, ["Events"] = new JsonArray([.. d.Events.Select(e => (JsonNode)e)]) };
            var rules = new JsonArray();
            if (d.Prefix.Length > 0)
            {
                rules.Add(new JsonObject { ["Name"] = "Prefix", ["Value"] = d.Prefix });
            }

            if (d.Suffix.Length > 0)
            {
                rules.Add(new JsonObject { ["Name"] = "Suffix", ["Value"] = d.Suffix });
            }

            if (rules.Count > 0)
            {
                item["Filter"] = new JsonObject { ["Key"] = new JsonObject { ["FilterRules"] = rules } };
            }

            return (JsonNode)item;
        })]),
    };

    /// <summary>Whether two configurations could both match one event of one key (S3 refuses that).</summary>
    private static bool Overlap(TopicDestination a, TopicDestination b)
    {
        var sharedEvent = a.Events.Any(x => b.Events.Any(y => x == y
            || (x.EndsWith(":*", StringComparison.Ordinal) && y.StartsWith(x[..^1], StringComparison.Ordinal))
            || (y.EndsWith(":*", StringComparison.Ordinal) && x.StartsWith(y[..^1], StringComparison.Ordinal))));
        var prefixesOverlap = a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) || b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal);
        var suffixesOverlap = a.Suffix.EndsWith(b.Suffix, StringComparison.Ordinal) || b.Suffix.EndsWith(a.Suffix, StringComparison.Ordinal);
        return sharedEvent && prefixesOverlap && suffixesOverlap;
    }

    private static AwsException Invalid(string message, string name, string value) =>
        new(S3Errors.InvalidArgument, message) { Fields = [new("ArgumentName", name), new("ArgumentValue", value)] };
}
