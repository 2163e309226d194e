using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>DeleteAlarms: all the named alarms or none ("If you specify any incorrect alarm name ... no alarms are deleted": ResourceNotFound).</summary>
public sealed class DeleteAlarms(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptArray("AlarmNames").Strings();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.Input.OptArray("AlarmNames").Strings().Distinct(StringComparer.Ordinal).ToList();
        var existing = (await CloudWatch.Repository.ListAlarmsAsync(request.Caller.AccountId, request.Region, cancellationToken)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !existing.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw CloudWatchErrors.ResourceNotFound.ToException($"{missing.Count} alarm{(missing.Count == 1 ? "" : "s")} not found: [{string.Join(", ", missing)}]");
        }

        await CloudWatch.Repository.DeleteAlarmsAsync(request.Caller.AccountId, request.Region, names, cancellationToken);
        return OperationResult.Empty;
    }
}

/// <summary>
/// SetAlarmState: sets the state for testing actions; the change runs the new state's actions, and
/// the next evaluation sets the state the data says again. StateReasonData must be JSON (InvalidFormat).
/// </summary>
public sealed class SetAlarmState(CloudWatchContext cloudWatch, AlarmStates states) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptStr("AlarmName") is { } name ? [name] : [];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var name = input.Str("AlarmName");
        var data = input.OptStr("StateReasonData");
        if (data is not null)
        {
            try
            {
                using var parsed = JsonDocument.Parse(data);
            }
            catch (JsonException)
            {
                throw CloudWatchErrors.InvalidFormat.ToException("Invalid JSON in StateReasonData.");
            }
        }

        var alarm = await CloudWatch.Repository.GetAlarmAsync(request.Caller.AccountId, request.Region, name, cancellationToken)
            ?? throw CloudWatchErrors.ResourceNotFound.ToException($"Alarm {name} not found");
        await states.TransitionAsync(alarm, input.Str("StateValue"), input.Str("StateReason"), data, cancellationToken);
        return OperationResult.Empty;
    }
}

/// <summary>EnableAlarmActions and DisableAlarmActions: names that are not alarms are passed over, as CloudWatch does.</summary>
public sealed class AlarmActionsSwitch(CloudWatchContext cloudWatch, bool enable) : CloudWatchOperation(cloudWatch)
{
    public override string Operation => enable ? "EnableAlarmActions" : "DisableAlarmActions";

    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptArray("AlarmNames").Strings();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CloudWatch.Repository.SetActionsEnabledAsync(request.Caller.AccountId, request.Region, [.. request.Input.OptArray("AlarmNames").Strings()], enable, cancellationToken);
        return OperationResult.Empty;
    }
}

/// <summary>DescribeAlarmHistory: configuration updates, state updates and actions of the last 30 days, newest first unless ScanBy says otherwise.</summary>
public sealed class DescribeAlarmHistory(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptStr("AlarmName") is { } name ? [name] : [];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var from = input.TryGetPropertyValue("StartDate", out var s) && s is JsonValue sv && sv.TryGetValue<DateTimeOffset>(out var start) ? start : DateTimeOffset.FromUnixTimeMilliseconds(0);
        var to = input.TryGetPropertyValue("EndDate", out var e) && e is JsonValue ev && ev.TryGetValue<DateTimeOffset>(out var end) ? end : DateTimeOffset.MaxValue.AddYears(-1);
        var type = input.OptStr("HistoryItemType");
        var types = input.OptArray("AlarmTypes")?.Strings().ToList();
        var max = (int)(input.OptInteger("MaxRecords") ?? 100);
        var offset = MetricInputs.Offset(input.OptStr("NextToken"));
        var items = types is not null && !types.Contains("MetricAlarm") ? []
            : (await CloudWatch.Repository.ListHistoryAsync(request.Caller.AccountId, request.Region, input.OptStr("AlarmName"), from, to, cancellationToken))
                .Where(h => type is null || h.ItemType == type).ToList();
        if (input.OptStr("ScanBy") == "TimestampAscending")
        {
            items.Reverse();
        }

        var page = items.Skip(offset).Take(max).ToList();
        var output = new JsonObject
        {
            ["AlarmHistoryItems"] = new JsonArray([.. page.Select(h => (JsonNode)new JsonObject
            {
                ["AlarmName"] = h.AlarmName,
                ["AlarmType"] = "MetricAlarm",
                ["Timestamp"] = h.At,
                ["HistoryItemType"] = h.ItemType,
                ["HistorySummary"] = h.Summary,
                ["HistoryData"] = h.Data.Length <= 4095 ? h.Data : h.Data[..4095],
            })]),
        };
        if (offset + page.Count < items.Count)
        {
            output["NextToken"] = MetricInputs.OffsetToken(offset + page.Count);
        }

        return new OperationResult(output);
    }
}
