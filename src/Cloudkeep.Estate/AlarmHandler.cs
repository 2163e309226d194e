using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Estate;

/// <summary>
/// CloudWatch metric alarms of the account, found by name in the regions the run looks at. An alarm is
/// one PutMetricAlarm call, which replaces the whole definition: an update sends the live definition
/// with the file's fields over it, so what the file leaves out stays as it is. The region is fixed
/// at creation (billing alarms live in us-east-1, the only region AWS/Billing is published in).
/// </summary>
internal sealed class AlarmHandler(EstateConnection connection, IReadOnlyCollection<string> regions) : IResourceHandler
{
    /// <summary>What an alarm may say; export writes them in this order.</summary>
    internal static readonly string[] Keys =
    [
        "region", "description", "namespace", "metricName", "dimensions", "statistic", "unit", "period", "evaluationPeriods", "datapointsToAlarm",
        "threshold", "comparisonOperator", "treatMissingData", "alarmActions", "okActions", "insufficientDataActions",
    ];

    /// <summary>The file's fields and PutMetricAlarm's members (statistic is Statistic or ExtendedStatistic, by its value).</summary>
    private static readonly (string Field, string Member)[] Members =
    [
        ("description", "AlarmDescription"), ("namespace", "Namespace"), ("metricName", "MetricName"), ("unit", "Unit"), ("period", "Period"),
        ("evaluationPeriods", "EvaluationPeriods"), ("datapointsToAlarm", "DatapointsToAlarm"), ("threshold", "Threshold"),
        ("comparisonOperator", "ComparisonOperator"), ("treatMissingData", "TreatMissingData"), ("alarmActions", "AlarmActions"),
        ("okActions", "OKActions"), ("insufficientDataActions", "InsufficientDataActions"),
    ];

    public IReadOnlyCollection<string> FixedFields => ["region"];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken) =>
        await FindAsync(desired.Name, Region(desired), cancellationToken) is { } found ? Live(found.Region, found.Alarm) : null;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var region in regions.Distinct())
        {
            names.AddRange((await DescribeAsync(region, null, cancellationToken)).Select(a => a["AlarmName"]?.GetValue<string>() ?? ""));
        }

        return [.. names.Distinct().Order(StringComparer.Ordinal)];
    }

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var region = Region(resolved);
        await PutAsync(region, resolved.Name, resolved.Fields, cancellationToken);
        journal.Done("PutMetricAlarm", () => DeleteAsync(region, resolved.Name));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var region = live["region"];
        var wanted = new Dictionary<string, string>(live, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            wanted[field] = resolved.Fields[field];
        }

        await PutAsync(region, resolved.Name, wanted, cancellationToken);
        journal.Done("PutMetricAlarm", () => PutAsync(region, resolved.Name, live, CancellationToken.None));
    }

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindAsync(resource.Name, Region(resource), cancellationToken) is not { } found)
        {
            return;
        }

        var live = Live(found.Region, found.Alarm);
        await DeleteAsync(found.Region, resource.Name);
        // Undone by the same definition; the alarm starts again from INSUFFICIENT_DATA, as a new one does.
        journal.Done("DeleteAlarms", () => PutAsync(found.Region, resource.Name, live, CancellationToken.None));
    }

    /// <summary>An alarm of the account by name: in the region the file gives it first, else in any region looked at.</summary>
    public async Task<(string Region, JsonObject Alarm)?> FindAsync(string name, string preferred, CancellationToken cancellationToken)
    {
        foreach (var region in regions.Prepend(preferred).Distinct())
        {
            if ((await DescribeAsync(region, name, cancellationToken)).FirstOrDefault() is { } alarm)
            {
                return (region, alarm);
            }
        }

        return null;
    }

    /// <summary>An alarm's definition as file fields, numbers and lists in the parser's canonical forms.</summary>
    public static Dictionary<string, string> Live(string region, JsonObject alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["region"] = region };
        foreach (var (field, member) in Members)
        {
            switch (alarm[member])
            {
                case JsonArray list:
                    live[field] = CanonicalJson.StringList(list.Select(a => a?.GetValue<string>() ?? ""));
                    break;
                case JsonValue value when value.TryGetValue<double>(out var number):
                    live[field] = Number(number);
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    live[field] = text;
                    break;
            }
        }

        if ((alarm["Statistic"] ?? alarm["ExtendedStatistic"])?.GetValue<string>() is { } statistic)
        {
            live["statistic"] = statistic;
        }

        if (alarm["Dimensions"] is JsonArray dimensions)
        {
            live["dimensions"] = CanonicalJson.StringMap(dimensions.OfType<JsonObject>()
                .Select(d => KeyValuePair.Create(d["Name"]?.GetValue<string>() ?? "", d["Value"]?.GetValue<string>() ?? "")));
        }

        return live;
    }

    /// <summary>How the parser writes a number: the shortest text that reads back as the same double.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public string Region(EstateResource resource) => resource.Fields.GetValueOrDefault("region") ?? connection.DefaultRegion;

    private async Task<List<JsonObject>> DescribeAsync(string region, string? name, CancellationToken cancellationToken)
    {
        var alarms = new List<JsonObject>();
        string? next = null;
        do
        {
            var input = new JsonObject { ["AlarmTypes"] = new JsonArray("MetricAlarm") };
            if (name is not null)
            {
                input["AlarmNames"] = new JsonArray(name);
            }

            if (next is not null)
            {
                input["NextToken"] = next;
            }

            var page = await connection.CloudWatch(region).CallAsync("DescribeAlarms", region, input, cancellationToken);
            alarms.AddRange((page["MetricAlarms"] as JsonArray ?? []).OfType<JsonObject>());
            next = page["NextToken"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(next));
        return alarms;
    }

    private Task<JsonObject> DeleteAsync(string region, string name) =>
        connection.CloudWatch(region).CallAsync("DeleteAlarms", region, new JsonObject { ["AlarmNames"] = new JsonArray(name) }, CancellationToken.None);

    private Task<JsonObject> PutAsync(string region, string name, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["AlarmName"] = name };
        foreach (var (field, member) in Members)
        {
            if (!fields.TryGetValue(field, out var value))
            {
                continue;
            }

            input[member] = field switch
            {
                "period" or "evaluationPeriods" or "datapointsToAlarm" => long.Parse(value, CultureInfo.InvariantCulture),
                "threshold" => double.Parse(value, CultureInfo.InvariantCulture),
                "alarmActions" or "okActions" or "insufficientDataActions" => JsonNode.Parse(value),
                _ => value,
            };
        }

        if (fields.TryGetValue("statistic", out var statistic))
        {
            input[statistic.StartsWith('p') ? "ExtendedStatistic" : "Statistic"] = statistic;
        }

        if (fields.TryGetValue("dimensions", out var dimensions))
        {
            input["Dimensions"] = new JsonArray([.. JsonNode.Parse(dimensions)!.AsObject().Select(d => (JsonNode?)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value?.GetValue<string>() })]);
        }

        return connection.CloudWatch(region).CallAsync("PutMetricAlarm", region, input, cancellationToken);
    }
}
