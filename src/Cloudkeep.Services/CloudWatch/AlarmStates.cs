using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// Moving an alarm to a new state, by its evaluation or by SetAlarmState: the state and its history
/// item written together (only if no one moved it meanwhile), then, when its actions are enabled,
/// the new state's actions run: each SNS topic gets the alarm message through the in-process SNS
/// publisher as cloudwatch.amazonaws.com, each outcome recorded as an Action history item.
/// </summary>
public sealed class AlarmStates(CloudWatchContext cloudWatch)
{
    /// <summary>Whether the alarm moved (false when it had already left <paramref name="alarm"/>'s state).</summary>
    public async Task<bool> TransitionAsync(MetricAlarmRecord alarm, string state, string reason, string? reasonData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var now = cloudWatch.Time.GetUtcNow();
        var moved = alarm with
        {
            State = state,
            StateReason = reason.Length <= 1023 ? reason : reason[..1023],
            StateReasonData = reasonData,
            StateUpdated = now,
            StateTransitioned = state == alarm.State ? alarm.StateTransitioned : now,
        };
        var summary = $"Alarm updated from {alarm.State} to {state}";
        var data = new JsonObject
        {
            ["version"] = "1.0",
            ["oldState"] = new JsonObject { ["stateValue"] = alarm.State, ["stateReason"] = alarm.StateReason },
            ["newState"] = new JsonObject { ["stateValue"] = state, ["stateReason"] = moved.StateReason, ["stateReasonData"] = reasonData is null ? null : JsonNode.Parse(reasonData) },
        };
        var history = new AlarmHistoryRecord(alarm.AccountId, alarm.Region, alarm.Name, now, AlarmNotifications.HistoryId(now), "StateUpdate", summary, data.ToJsonString(AlarmNotifications.Json));
        if (!await cloudWatch.Repository.TransitionAsync(moved, alarm.State, history, cancellationToken))
        {
            return false;
        }

        if (moved.ActionsEnabled && state != alarm.State)
        {
            await ActAsync(moved, alarm.State, now, cancellationToken);
        }

        return true;
    }

    private async Task ActAsync(MetricAlarmRecord alarm, string oldState, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var definition = JsonNode.Parse(alarm.Definition)!.AsObject();
        var member = alarm.State switch { "ALARM" => "AlarmActions", "OK" => "OKActions", _ => "InsufficientDataActions" };
        var alarmArn = CloudWatchContext.AlarmArn(alarm.Region, alarm.AccountId, alarm.Name);
        foreach (var action in definition.OptArray(member).Strings())
        {
            string summary;
            if (!action.StartsWith("arn:aws:sns:", StringComparison.Ordinal))
            {
                summary = $"Failed to execute action {action}. Received error: \"Cloudkeep executes SNS topic actions only\"";
            }
            else if (cloudWatch.Notifications is not { } publisher
                || await publisher.AllowedTopicAsync(action, CloudWatchContext.ServicePrincipal, alarmArn, alarm.AccountId, cancellationToken, forSourceOwner: true) is not { } topic)
            {
                summary = $"Failed to execute action {action}. Received error: \"The topic does not exist, or its policy does not allow {CloudWatchContext.ServicePrincipal} to publish to it\"";
            }
            else
            {
                await publisher.PublishAsync(topic, AlarmNotifications.Subject(alarm.Name, alarm.State, alarm.Region), AlarmNotifications.Message(alarm, definition, oldState, now), cancellationToken);
                summary = $"Successfully executed action {action}";
            }

            var data = new JsonObject { ["actionState"] = summary.StartsWith("Succ", StringComparison.Ordinal) ? "Succeeded" : "Failed", ["notificationResource"] = action, ["stateUpdateTimestamp"] = now.ToUnixTimeMilliseconds() };
            await cloudWatch.Repository.AddHistoryAsync(
                new AlarmHistoryRecord(alarm.AccountId, alarm.Region, alarm.Name, now, AlarmNotifications.HistoryId(now), "Action", summary.Length <= 255 ? summary : summary[..255], data.ToJsonString(AlarmNotifications.Json)),
                cancellationToken);
        }
    }
}
