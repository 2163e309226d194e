using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// PutMetricAlarm: creates an alarm (INSUFFICIENT_DATA until its first evaluation) or replaces an
/// existing one's configuration, keeping its state ("When this operation updates an existing alarm,
/// the state is left unchanged"; tags given on an update are ignored). Alarms on one MetricStat of
/// a Metrics list are evaluated like the others; metric math and anomaly detection are refused.
/// </summary>
public sealed class PutMetricAlarm(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptStr("AlarmName") is { } name ? [name] : [];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var name = input.Str("AlarmName");
        var definition = new JsonObject();
        foreach (var member in AlarmDefinition.Members)
        {
            if (input.TryGetPropertyValue(member, out var value) && value is not null)
            {
                definition[member] = value.DeepClone();
            }
        }

        AlarmDefinition.Read(definition);
        foreach (var member in new[] { "OKActions", "AlarmActions", "InsufficientDataActions" })
        {
            foreach (var action in definition.OptArray(member).Strings().Where(a => !a.StartsWith("arn:", StringComparison.Ordinal) || a.Split(':').Length < 6))
            {
                throw CloudWatchErrors.Invalid(member, action);
            }
        }

        var now = CloudWatch.Time.GetUtcNow();
        var account = request.Caller.AccountId;
        var existing = await CloudWatch.Repository.GetAlarmAsync(account, request.Region, name, cancellationToken);
        if (existing is null && (await CloudWatch.Repository.ListAlarmsAsync(account, request.Region, cancellationToken)).Count >= CloudWatch.AlarmQuota)
        {
            throw CloudWatchErrors.LimitExceeded.ToException($"The maximum number of alarms ({CloudWatch.AlarmQuota}) for this account in {request.Region} has been reached.");
        }

        var tags = existing is null ? AlarmOutput.ReadTags(input.OptArray("Tags"), []) : AlarmOutput.Tags(existing);
        var alarm = new MetricAlarmRecord(
            account, request.Region, name, definition.ToJsonString(), input.OptBool("ActionsEnabled") ?? true,
            existing?.State ?? "INSUFFICIENT_DATA", existing?.StateReason ?? "Unchecked: Initial alarm creation", existing?.StateReasonData,
            existing?.StateUpdated ?? now, existing?.StateTransitioned ?? now, now, JsonSerializer.Serialize(tags));
        var summary = existing is null ? $"Alarm \"{name}\" created" : $"Alarm \"{name}\" updated";
        var data = new JsonObject { ["version"] = "1.0", ["type"] = existing is null ? "Create" : "Update", ["createdAlarm"] = AlarmOutput.Describe(alarm) };
        await CloudWatch.Repository.PutAlarmAsync(alarm, new AlarmHistoryRecord(account, request.Region, name, now, AlarmNotifications.HistoryId(now), "ConfigurationUpdate", Cap(summary), Cap(data.ToJsonString(AlarmNotifications.Json), 4095)), cancellationToken);
        return OperationResult.Empty;
    }

    private static string Cap(string text, int max = 255) => text.Length <= max ? text : text[..max];
}
