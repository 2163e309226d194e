using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// The message a metric alarm's state change publishes to its SNS actions, in AWS's format (the
/// JSON document CloudWatch sends: AlarmName, AlarmDescription, AWSAccountId, NewStateValue,
/// NewStateReason, StateChangeTime, Region (its display name), AlarmArn, OldStateValue, the
/// actions, and the Trigger describing the metric and threshold), with the subject
/// 'ALARM: "name" in EU (Ireland)'.
/// </summary>
public static class AlarmNotifications
{
    private static readonly Dictionary<string, string> RegionNames = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = "US East (N. Virginia)", ["us-east-2"] = "US East (Ohio)", ["us-west-1"] = "US West (N. California)", ["us-west-2"] = "US West (Oregon)",
        ["af-south-1"] = "Africa (Cape Town)", ["ap-east-1"] = "Asia Pacific (Hong Kong)", ["ap-south-1"] = "Asia Pacific (Mumbai)", ["ap-northeast-1"] = "Asia Pacific (Tokyo)",
        ["ap-northeast-2"] = "Asia Pacific (Seoul)", ["ap-northeast-3"] = "Asia Pacific (Osaka)", ["ap-southeast-1"] = "Asia Pacific (Singapore)", ["ap-southeast-2"] = "Asia Pacific (Sydney)",
        ["ca-central-1"] = "Canada (Central)", ["eu-central-1"] = "EU (Frankfurt)", ["eu-central-2"] = "EU (Zurich)", ["eu-west-1"] = "EU (Ireland)", ["eu-west-2"] = "EU (London)",
        ["eu-west-3"] = "EU (Paris)", ["eu-north-1"] = "EU (Stockholm)", ["eu-south-1"] = "EU (Milan)", ["me-south-1"] = "Middle East (Bahrain)", ["sa-east-1"] = "South America (Sao Paulo)",
    };

    /// <summary>How CloudWatch's JSON documents are written: '+' and quotes as themselves, not as \u escapes.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Lock IdLock = new();
    private static long _lastId;

    /// <summary>A history item's id: ordered as the items were written, so items of one instant keep their order.</summary>
    public static string HistoryId(DateTimeOffset at)
    {
        lock (IdLock)
        {
            _lastId = Math.Max(_lastId + 1, at.ToUnixTimeMilliseconds() * 1000);
            return _lastId.ToString("D20", CultureInfo.InvariantCulture);
        }
    }

    public static string RegionName(string region) => RegionNames.GetValueOrDefault(region, region);

    /// <summary>CloudWatch's timestamps in messages and reason data: "2025-12-07T10:01:00.123+0000".</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static string Subject(string alarmName, string state, string region)
    {
        var subject = $"{state}: \"{alarmName}\" in {RegionName(region)}";
        return subject.Length <= 100 ? subject : subject[..100];
    }

    public static string Message(MetricAlarmRecord alarm, JsonObject definition, string oldState, DateTimeOffset changed)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(definition);
        var message = new JsonObject
        {
            ["AlarmName"] = alarm.Name,
            ["AlarmDescription"] = definition.OptStr("AlarmDescription"),
            ["AWSAccountId"] = alarm.AccountId,
            ["AlarmConfigurationUpdatedTimestamp"] = Timestamp(alarm.ConfigUpdated),
            ["NewStateValue"] = alarm.State,
            ["NewStateReason"] = alarm.StateReason,
            ["StateChangeTime"] = Timestamp(changed),
            ["Region"] = RegionName(alarm.Region),
            ["AlarmArn"] = CloudWatchContext.AlarmArn(alarm.Region, alarm.AccountId, alarm.Name),
            ["OldStateValue"] = oldState,
            ["OKActions"] = Copy(definition, "OKActions"),
            ["AlarmActions"] = Copy(definition, "AlarmActions"),
            ["InsufficientDataActions"] = Copy(definition, "InsufficientDataActions"),
            ["Trigger"] = Trigger(definition),
        };
        return message.ToJsonString(Json);
    }

    private static JsonObject Trigger(JsonObject definition)
    {
        AlarmDefinition? alarm;
        try
        {
            alarm = AlarmDefinition.Read(definition);
        }
        catch (Core.Errors.AwsException)
        {
            alarm = null;
        }

        var trigger = new JsonObject();
        if (alarm is not null)
        {
            trigger["MetricName"] = alarm.MetricName;
            trigger["Namespace"] = alarm.Namespace;
            trigger["StatisticType"] = alarm.Extended ? "ExtendedStatistic" : "Statistic";
            trigger[alarm.Extended ? "ExtendedStatistic" : "Statistic"] = alarm.Extended ? alarm.Statistic : alarm.Statistic.ToUpperInvariant();
            trigger["Unit"] = alarm.Unit;
            trigger["Dimensions"] = new JsonArray([.. alarm.Dimensions.Select(d => (JsonNode)new JsonObject { ["value"] = d.Value, ["name"] = d.Key })]);
            trigger["Period"] = alarm.Period;
            trigger["EvaluationPeriods"] = alarm.EvaluationPeriods;
            trigger["DatapointsToAlarm"] = alarm.DatapointsToAlarm;
            trigger["ComparisonOperator"] = alarm.ComparisonOperator;
            trigger["Threshold"] = alarm.Threshold;
            trigger["TreatMissingData"] = alarm.TreatMissingData;
            trigger["EvaluateLowSampleCountPercentile"] = definition.OptStr("EvaluateLowSampleCountPercentile") ?? "";
        }

        return trigger;
    }

    private static JsonArray Copy(JsonObject definition, string member) => [.. definition.OptArray(member).Strings().Select(s => (JsonNode)JsonValue.Create(s))];
}
