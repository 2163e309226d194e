using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// GetMetricStatistics: the standard statistics or percentiles (pNN) of one metric (its exact
/// dimensions) per period; at most 1,440 data points a call (InvalidParameterCombination past that).
/// </summary>
public sealed class GetMetricStatistics(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? Namespaces(JsonObject input) => input.OptStr("Namespace") is { } ns ? [ns] : [];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var name = input.Str("MetricName");
        var start = MetricInputs.Time(input, "StartTime");
        var end = MetricInputs.Time(input, "EndTime");
        var period = input.OptInteger("Period") ?? 0;
        var statistics = input.OptArray("Statistics").Strings().ToList();
        var extended = input.OptArray("ExtendedStatistics").Strings().ToList();
        if (statistics.Count == 0 && extended.Count == 0)
        {
            throw CloudWatchErrors.MissingParameter.ToException("Must specify either Statistics or ExtendedStatistics.");
        }

        if (statistics.Count > 0 && extended.Count > 0)
        {
            throw CloudWatchErrors.InvalidParameterCombination.ToException("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.");
        }

        foreach (var statistic in extended.Where(s => !MetricStatistics.TryParsePercentile(s, out _)))
        {
            throw CloudWatchErrors.Invalid("ExtendedStatistics", statistic);
        }

        if (!MetricRetention.ValidPeriod(period))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("The parameter Period must be 1, 5, 10, 30 or a multiple of 60.");
        }

        if (start >= end)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("The parameter StartTime must be less than the parameter EndTime.");
        }

        var requested = (long)Math.Ceiling((end - start).TotalSeconds / period);
        if (requested > MetricReader.MaxStatisticsDatapoints)
        {
            throw CloudWatchErrors.InvalidParameterCombination.ToException(
                $"You have requested up to {requested} datapoints, which exceeds the limit of {MetricReader.MaxStatisticsDatapoints}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
        }

        var unit = input.OptStr("Unit");
        var metric = MetricInputs.Metric(request.Caller.AccountId, request.Region, input.Str("Namespace"), name, MetricInputs.Dimensions(input.OptArray("Dimensions"), "Dimensions"));
        var now = CloudWatch.Time.GetUtcNow();
        var buckets = await MetricReader.ReadAsync(CloudWatch.Repository, metric, start, end, (int)period, unit, now, cancellationToken);
        var datapoints = new JsonArray();
        foreach (var bucket in buckets)
        {
            var point = new JsonObject { ["Timestamp"] = DateTimeOffset.FromUnixTimeSeconds(bucket.Start) };
            foreach (var statistic in statistics)
            {
                point[statistic] = MetricStatistics.Value(bucket.Value, statistic);
            }

            if (extended.Count > 0)
            {
                var map = new JsonObject();
                foreach (var statistic in extended)
                {
                    if (MetricStatistics.Value(bucket.Value, statistic) is { } value)
                    {
                        map[statistic] = value;
                    }
                }

                point["ExtendedStatistics"] = map;
            }

            point["Unit"] = unit ?? bucket.Unit;
            datapoints.Add(point);
        }

        return new OperationResult(new JsonObject { ["Label"] = name, ["Datapoints"] = datapoints });
    }
}
