using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>An alarm as DescribeAlarms and DescribeAlarmsForMetric show it (the MetricAlarm shape), and its tags.</summary>
public static class AlarmOutput
{
    public static JsonObject Describe(MetricAlarmRecord alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var definition = JsonNode.Parse(alarm.Definition)!.AsObject();
        var output = new JsonObject
        {
            ["AlarmName"] = alarm.Name,
            ["AlarmArn"] = CloudWatchContext.AlarmArn(alarm.Region, alarm.AccountId, alarm.Name),
            ["AlarmConfigurationUpdatedTimestamp"] = alarm.ConfigUpdated,
            ["ActionsEnabled"] = alarm.ActionsEnabled,
            ["OKActions"] = new JsonArray(),
            ["AlarmActions"] = new JsonArray(),
            ["InsufficientDataActions"] = new JsonArray(),
            ["StateValue"] = alarm.State,
            ["StateReason"] = alarm.StateReason,
            ["StateUpdatedTimestamp"] = alarm.StateUpdated,
            ["StateTransitionedTimestamp"] = alarm.StateTransitioned,
        };
        if (alarm.StateReasonData is { } data)
        {
            output["StateReasonData"] = data;
        }

        foreach (var (name, value) in definition)
        {
            output[name] = value?.DeepClone();
        }

        if (definition.OptStr("MetricName") is not null && definition.OptArray("Dimensions") is null)
        {
            output["Dimensions"] = new JsonArray();
        }

        return output;
    }

    public static Dictionary<string, string> Tags(MetricAlarmRecord alarm) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(alarm.Tags) ?? [];

    public static JsonArray TagList(IReadOnlyDictionary<string, string> tags) =>
        [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })];

    /// <summary>Tags of a TagList member: at most 50, keys 1-128 characters not starting with "aws:", values up to 256.</summary>
    public static Dictionary<string, string> ReadTags(JsonArray? tags, Dictionary<string, string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var tag in tags.Objects())
        {
            var key = tag.Str("Key");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"Invalid tag key {key}: tag keys starting with aws: are reserved.");
            }

            into[key] = tag.OptStr("Value") ?? "";
        }

        return into.Count <= 50 ? into : throw CloudWatchErrors.InvalidParameterValue.ToException("An alarm can have at most 50 tags.");
    }
}
