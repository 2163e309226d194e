using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// How a metric alarm's state follows from its data, as "Configuring how CloudWatch alarms treat
/// missing data" (CloudWatch User Guide) describes it. The evaluation range is the last
/// EvaluationPeriods + 2 complete periods. With at least EvaluationPeriods real data points in it,
/// the most recent EvaluationPeriods of them decide (ALARM when DatapointsToAlarm of them breach),
/// and missing data is not considered. With none, the treatment decides alone: missing →
/// INSUFFICIENT_DATA, ignore → the state stays, breaching → ALARM, notBreaching → OK. With some,
/// every real point counts and the rest are filled: breaching and notBreaching fill as they say;
/// missing judges the real points alone (ALARM when as many breach as could: DatapointsToAlarm, or
/// all of them when fewer are real); ignore does the same unless the most recent period is the one
/// missing, when the state stays. These are the rows of the guide's table.
/// </summary>
public static class AlarmEvaluation
{
    /// <summary>A decided state, its reason in AWS's words, and the points that decided it (newest first).</summary>
    public sealed record Outcome(string State, string Reason, IReadOnlyList<(long At, double Value)> Evaluated);

    /// <summary>How many periods before the evaluated ones are read, in case the most recent are missing.</summary>
    public const int ExtraPeriods = 2;

    /// <summary>
    /// The outcome for the range's values (oldest first, one per period, null where missing), or
    /// null when the state stays as it is.
    /// </summary>
    public static Outcome? Evaluate(AlarmDefinition alarm, IReadOnlyList<(long At, double? Value)> range)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(range);
        var n = alarm.EvaluationPeriods;
        var m = alarm.DatapointsToAlarm;
        var real = range.Where(p => p.Value is not null).Select(p => (p.At, Value: p.Value!.Value)).Reverse().ToList();
        if (real.Count >= n)
        {
            var evaluated = real.Take(n).ToList();
            var breaching = evaluated.Count(p => alarm.Breaches(p.Value));
            return Decide(alarm, breaching >= m, evaluated, breaching, filled: 0);
        }

        if (real.Count == 0)
        {
            return alarm.TreatMissingData switch
            {
                "ignore" => null,
                "breaching" => new("ALARM", $"Threshold Crossed: no datapoints were received for {n} period{S(n)} and {n} missing datapoint{S(n)} were treated as [Breaching].", []),
                "notBreaching" => new("OK", $"Threshold Crossed: no datapoints were received for {n} period{S(n)} and {n} missing datapoint{S(n)} were treated as [NonBreaching].", []),
                _ => new("INSUFFICIENT_DATA", $"Insufficient Data: {n} datapoint{S(n)} {(n == 1 ? "was" : "were")} unknown.", []),
            };
        }

        var realBreaching = real.Count(p => alarm.Breaches(p.Value));
        var fill = n - real.Count;
        return alarm.TreatMissingData switch
        {
            "breaching" => Decide(alarm, realBreaching + fill >= m, real, realBreaching, fill),
            "notBreaching" => Decide(alarm, realBreaching >= m, real, realBreaching, 0),
            "ignore" when range[^1].Value is null => null,
            _ => Decide(alarm, realBreaching >= Math.Min(m, real.Count), real, realBreaching, 0),
        };
    }

    private static Outcome Decide(AlarmDefinition alarm, bool alarming, List<(long At, double Value)> evaluated, int breaching, int filled)
    {
        var shown = string.Join(", ", evaluated.Select(p => $"{Number(p.Value)} ({DateTimeOffset.FromUnixTimeSeconds(p.At).UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})"));
        var total = evaluated.Count + filled;
        var fillNote = filled > 0 ? $" and {filled} missing datapoint{S(filled)} treated as [Breaching]" : "";
        string reason;
        if (alarming)
        {
            var count = breaching + filled;
            reason = total == 1
                ? $"Threshold Crossed: 1 datapoint [{shown}]{fillNote} was {alarm.ComparisonWords} the threshold ({Number(alarm.Threshold)})."
                : $"Threshold Crossed: {count} out of the last {total} datapoints [{shown}]{fillNote} were {alarm.ComparisonWords} the threshold ({Number(alarm.Threshold)}) (minimum {alarm.DatapointsToAlarm} datapoint{S(alarm.DatapointsToAlarm)} for OK -> ALARM transition).";
        }
        else
        {
            var count = total - breaching - filled;
            reason = total == 1
                ? $"Threshold Crossed: 1 datapoint [{shown}] was not {alarm.ComparisonWords} the threshold ({Number(alarm.Threshold)})."
                : $"Threshold Crossed: {count} out of the last {total} datapoints [{shown}]{fillNote} were not {alarm.ComparisonWords} the threshold ({Number(alarm.Threshold)}) (minimum 1 datapoint for ALARM -> OK transition).";
        }

        return new(alarming ? "ALARM" : "OK", reason, evaluated);
    }

    /// <summary>StateReasonData as CloudWatch writes it for a threshold alarm.</summary>
    public static string ReasonData(AlarmDefinition alarm, Outcome outcome, DateTimeOffset queried, long rangeStart)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(outcome);
        var data = new JsonObject
        {
            ["version"] = "1.0",
            ["queryDate"] = AlarmNotifications.Timestamp(queried),
            ["startDate"] = AlarmNotifications.Timestamp(DateTimeOffset.FromUnixTimeSeconds(rangeStart)),
            [alarm.Extended ? "extendedStatistic" : "statistic"] = alarm.Statistic,
            ["period"] = alarm.Period,
            ["recentDatapoints"] = new JsonArray([.. outcome.Evaluated.Reverse().Select(p => (JsonNode)JsonValue.Create(p.Value))]),
            ["threshold"] = alarm.Threshold,
            ["evaluatedDatapoints"] = new JsonArray([.. outcome.Evaluated.Select(p => (JsonNode)new JsonObject
            {
                ["timestamp"] = AlarmNotifications.Timestamp(DateTimeOffset.FromUnixTimeSeconds(p.At)),
                ["value"] = p.Value,
            })]),
        };
        return data.ToJsonString(AlarmNotifications.Json);
    }

    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string S(int count) => count == 1 ? "" : "s";
}
