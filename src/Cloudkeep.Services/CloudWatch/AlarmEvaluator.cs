using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// One evaluation pass over every metric alarm at the injected clock's time: each alarm's
/// evaluation range (its last EvaluationPeriods + 2 complete periods) is read, judged by
/// <see cref="AlarmEvaluation"/>, and a changed state is written and acted on.
/// </summary>
public sealed class AlarmEvaluator(CloudWatchContext cloudWatch)
{
    private readonly AlarmStates _states = new(cloudWatch);

    public AlarmStates States => _states;

    /// <summary>Evaluates every alarm; how many changed state.</summary>
    public async Task<int> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var alarm in await cloudWatch.Repository.ListAlarmsAsync(null, null, cancellationToken))
        {
            if (await EvaluateAsync(alarm, cancellationToken))
            {
                changed++;
            }
        }

        return changed;
    }

    public async Task<bool> EvaluateAsync(MetricAlarmRecord alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        AlarmDefinition definition;
        try
        {
            definition = AlarmDefinition.Read(JsonNode.Parse(alarm.Definition)!.AsObject());
        }
        catch (Core.Errors.AwsException)
        {
            return false;
        }

        var now = cloudWatch.Time.GetUtcNow();
        var period = definition.Period;
        var nowSeconds = now.ToUnixTimeSeconds();
        var end = nowSeconds - (nowSeconds % period);
        var count = definition.EvaluationPeriods + AlarmEvaluation.ExtraPeriods;
        var start = end - ((long)count * period);
        var buckets = await MetricReader.ReadAsync(
            cloudWatch.Repository, definition.Metric(alarm.AccountId, alarm.Region), DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(end), period, definition.Unit, now, cancellationToken);
        var byStart = buckets.ToDictionary(b => b.Start);
        var range = new List<(long At, double? Value)>(count);
        for (var at = start; at < end; at += period)
        {
            // A percentile of a period with no distribution kept (statistic sets) counts as missing.
            range.Add((at, byStart.TryGetValue(at, out var bucket) ? MetricStatistics.Value(bucket.Value, definition.Statistic) : null));
        }

        var outcome = AlarmEvaluation.Evaluate(definition, range);
        if (outcome is null || outcome.State == alarm.State)
        {
            return false;
        }

        return await _states.TransitionAsync(alarm, outcome.State, outcome.Reason, AlarmEvaluation.ReasonData(definition, outcome, now, start), cancellationToken);
    }
}
