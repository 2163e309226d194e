using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// What a metric alarm watches and how it judges it, read from its stored definition (the
/// PutMetricAlarm members, with AWS's defaults filled in: DatapointsToAlarm = EvaluationPeriods,
/// TreatMissingData = missing). An alarm on Metrics watches the one query that returns data.
/// </summary>
public sealed record AlarmDefinition(
    string Namespace,
    string MetricName,
    IReadOnlyList<KeyValuePair<string, string>> Dimensions,
    string Statistic,
    bool Extended,
    int Period,
    string? Unit,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    double Threshold,
    string ComparisonOperator,
    string TreatMissingData)
{
    /// <summary>The members of PutMetricAlarm that make the definition (stored as given, returned by DescribeAlarms).</summary>
    public static readonly IReadOnlyList<string> Members =
    [
        "AlarmDescription", "OKActions", "AlarmActions", "InsufficientDataActions", "MetricName", "Namespace", "Statistic", "ExtendedStatistic",
        "Dimensions", "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData",
        "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId",
    ];

    public static readonly IReadOnlyList<string> TreatMissingDataValues = ["breaching", "notBreaching", "ignore", "missing"];

    public static readonly IReadOnlyList<string> ThresholdOperators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];

    /// <summary>An alarm's total evaluation range may not exceed 7 days ("Alarm evaluation", CloudWatch User Guide).</summary>
    public static readonly TimeSpan MaxEvaluationRange = TimeSpan.FromDays(7);

    public MetricIdentity Metric(string accountId, string region) => MetricInputs.Metric(accountId, region, Namespace, MetricName, Dimensions);

    public bool Breaches(double value) => ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => value >= Threshold,
        "GreaterThanThreshold" => value > Threshold,
        "LessThanThreshold" => value < Threshold,
        "LessThanOrEqualToThreshold" => value <= Threshold,
        _ => false,
    };

    /// <summary>The words AWS's state reasons use for the comparison ("greater than", "less than or equal to").</summary>
    public string ComparisonWords => ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        _ => "less than or equal to",
    };

    /// <summary>Reads a stored definition; throws InvalidParameterValue/MissingParameter when it cannot describe an evaluable alarm (PutMetricAlarm's checks).</summary>
    public static AlarmDefinition Read(JsonObject definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        string ns, name, statistic;
        IReadOnlyList<KeyValuePair<string, string>> dimensions;
        int period;
        string? unit;
        bool extended;
        if (definition.OptArray("Metrics") is { } metrics)
        {
            if (definition.OptStr("MetricName") is not null || definition.OptStr("Namespace") is not null || definition.OptStr("Statistic") is not null || definition.OptStr("ExtendedStatistic") is not null || definition.OptInteger("Period") is not null)
            {
                throw CloudWatchErrors.InvalidParameterCombination.ToException("Metrics list cannot be combined with MetricName, Namespace, Statistic, ExtendedStatistic or Period.");
            }

            var queries = metrics.Objects().ToList();
            if (queries.Any(q => q.OptStr("Expression") is not null))
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException("Alarms on metric math expressions are not evaluated by Cloudkeep: give one MetricStat query.");
            }

            var returning = queries.Where(q => q.OptBool("ReturnData") ?? true).ToList();
            if (returning.Count != 1 || returning[0].OptObject("MetricStat") is not { } stat)
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException("Exactly one element of the Metrics list must return data.");
            }

            var metric = stat.OptObject("Metric") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Metrics.member.MetricStat.Metric is required.");
            ns = metric.OptStr("Namespace") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Metrics.member.MetricStat.Metric.Namespace is required.");
            name = metric.OptStr("MetricName") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Metrics.member.MetricStat.Metric.MetricName is required.");
            dimensions = MetricInputs.Dimensions(metric.OptArray("Dimensions"), "Metrics.member.MetricStat.Metric.Dimensions");
            statistic = stat.Str("Stat");
            extended = !MetricStatistics.Standard.Contains(statistic);
            if (!MetricStatistics.IsStatistic(statistic))
            {
                throw CloudWatchErrors.Invalid("Metrics.member.MetricStat.Stat", statistic);
            }

            period = (int)(stat.OptInteger("Period") ?? 0);
            unit = stat.OptStr("Unit");
        }
        else
        {
            ns = definition.OptStr("Namespace") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Namespace is required.");
            name = definition.OptStr("MetricName") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter MetricName is required.");
            dimensions = MetricInputs.Dimensions(definition.OptArray("Dimensions"), "Dimensions");
            var simple = definition.OptStr("Statistic");
            var percentile = definition.OptStr("ExtendedStatistic");
            if ((simple is null) == (percentile is null))
            {
                throw simple is null
                    ? CloudWatchErrors.MissingParameter.ToException("One of the parameters Statistic or ExtendedStatistic must be specified.")
                    : CloudWatchErrors.InvalidParameterCombination.ToException("The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.");
            }

            if (percentile is not null && !MetricStatistics.TryParsePercentile(percentile, out _))
            {
                throw CloudWatchErrors.Invalid("ExtendedStatistic", percentile);
            }

            statistic = simple ?? percentile!;
            extended = percentile is not null;
            period = (int)(definition.OptInteger("Period") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Period is required."));
            unit = definition.OptStr("Unit");
        }

        if (period is not (10 or 30) && (period <= 0 || period % 60 != 0))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("The parameter Period must be 10, 30 or a multiple of 60.");
        }

        var evaluationPeriods = (int)(definition.OptInteger("EvaluationPeriods") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter EvaluationPeriods is required."));
        var datapoints = (int)(definition.OptInteger("DatapointsToAlarm") ?? evaluationPeriods);
        if (datapoints > evaluationPeriods)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
        }

        if (TimeSpan.FromSeconds((double)period * evaluationPeriods) > MaxEvaluationRange)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("The evaluation range of an alarm (Period times EvaluationPeriods) cannot be longer than 7 days.");
        }

        if (definition.OptStr("ThresholdMetricId") is not null)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("Anomaly detection alarms (ThresholdMetricId) are not evaluated by Cloudkeep.");
        }

        var threshold = MetricInputs.Number(definition, "Threshold") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter Threshold is required.");
        if (!double.IsFinite(threshold))
        {
            throw CloudWatchErrors.Invalid("Threshold", MetricInputs.Format(threshold));
        }

        var comparison = definition.OptStr("ComparisonOperator") ?? throw CloudWatchErrors.MissingParameter.ToException("The parameter ComparisonOperator is required.");
        if (!ThresholdOperators.Contains(comparison))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The comparison operator {comparison} is only for anomaly detection alarms, which Cloudkeep does not evaluate.");
        }

        var missing = definition.OptStr("TreatMissingData") ?? "missing";
        if (!TreatMissingDataValues.Contains(missing))
        {
            throw CloudWatchErrors.Invalid("TreatMissingData", missing);
        }

        if (definition.OptStr("EvaluateLowSampleCountPercentile") is { } low && (!extended || low is not ("evaluate" or "ignore")))
        {
            throw CloudWatchErrors.Invalid("EvaluateLowSampleCountPercentile", low);
        }

        return new AlarmDefinition(ns, name, dimensions, statistic, extended, period, unit, evaluationPeriods, datapoints, threshold, comparison, missing);
    }
}
