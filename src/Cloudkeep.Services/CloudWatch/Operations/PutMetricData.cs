using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// PutMetricData ("PutMetricData", CloudWatch API reference): up to 1,000 data points, each a Value,
/// a StatisticValues set, or Values with optional Counts (up to 150); timestamps within the last two
/// weeks and at most two hours ahead; StorageResolution 1 (high resolution, kept per second) or 60
/// (the default, kept per minute). Namespaces starting "AWS/" are AWS's own. Points of one metric,
/// period and unit merge into one stored aggregate.
/// </summary>
public sealed class PutMetricData(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    private const int MaxData = 1000;
    private const int MaxValues = 150;

    protected override IEnumerable<string>? Namespaces(JsonObject input) => input.OptStr("Namespace") is { } ns ? [ns] : [];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ns = request.Input.Str("Namespace");
        if (ns.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw CloudWatchErrors.Invalid("Namespace", ns);
        }

        var data = request.Input.OptArray("MetricData").Objects().ToList();
        if (data.Count == 0)
        {
            throw CloudWatchErrors.MissingParameter.ToException("The parameter MetricData is required.");
        }

        if (data.Count > MaxData)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The collection MetricData must not have a size greater than {MaxData}.");
        }

        var now = CloudWatch.Time.GetUtcNow();
        var points = new List<CloudWatchRepository.PointWrite>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            points.Add(Read(request, ns, data[i], $"MetricData.member.{i + 1}", now));
        }

        await CloudWatch.Repository.PutAsync(points, now, cancellationToken);
        return OperationResult.Empty;
    }

    private static CloudWatchRepository.PointWrite Read(OperationRequest request, string ns, JsonObject datum, string path, DateTimeOffset now)
    {
        var name = datum.Str("MetricName");
        var dimensions = MetricInputs.Dimensions(datum.OptArray("Dimensions"), path + ".Dimensions");
        var at = datum.TryGetPropertyValue("Timestamp", out var t) && t is JsonValue tv && tv.TryGetValue<DateTimeOffset>(out var stamp) ? stamp : now;
        if (at > now + TimeSpan.FromHours(2))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The parameter {path}.Timestamp must specify a time no more than two hours in the future.");
        }

        if (at < now - TimeSpan.FromDays(14))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The parameter {path}.Timestamp must specify a time within the past two weeks.");
        }

        var resolution = datum.OptInteger("StorageResolution") ?? 60;
        if (resolution is not (1 or 60))
        {
            throw CloudWatchErrors.Invalid(path + ".StorageResolution", resolution);
        }

        var value = Value(datum, path);
        var seconds = at.ToUnixTimeSeconds();
        var periodStart = seconds - (((seconds % resolution) + resolution) % resolution);
        var unit = datum.OptStr("Unit") ?? "None";
        return new(MetricInputs.Metric(request.Caller.AccountId, request.Region, ns, name, dimensions), (int)resolution, periodStart, unit, value);
    }

    private static MetricAggregate Value(JsonObject datum, string path)
    {
        var single = MetricInputs.Number(datum, "Value");
        var set = datum.OptObject("StatisticValues");
        var values = datum.OptArray("Values");
        var counts = datum.OptArray("Counts");
        var given = (single is null ? 0 : 1) + (set is null ? 0 : 1) + (values is null ? 0 : 1);
        if (given > 1)
        {
            var names = new[] { single is null ? null : "Value", set is null ? null : "StatisticValues", values is null ? null : "Values" }.OfType<string>().ToList();
            throw CloudWatchErrors.InvalidParameterCombination.ToException($"The parameters {path}.{names[0]} and {path}.{names[1]} are mutually exclusive and you have specified both.");
        }

        if (counts is not null && values is null)
        {
            throw CloudWatchErrors.InvalidParameterCombination.ToException($"The parameter {path}.Counts may only be given with {path}.Values.");
        }

        if (single is { } v)
        {
            return MetricAggregate.Of(Accepted(v, path + ".Value"));
        }

        if (set is not null)
        {
            var count = Accepted(MetricInputs.Number(set, "SampleCount") ?? Missing(path + ".StatisticValues.SampleCount"), path + ".StatisticValues.SampleCount");
            var sum = Accepted(MetricInputs.Number(set, "Sum") ?? Missing(path + ".StatisticValues.Sum"), path + ".StatisticValues.Sum");
            var min = Accepted(MetricInputs.Number(set, "Minimum") ?? Missing(path + ".StatisticValues.Minimum"), path + ".StatisticValues.Minimum");
            var max = Accepted(MetricInputs.Number(set, "Maximum") ?? Missing(path + ".StatisticValues.Maximum"), path + ".StatisticValues.Maximum");
            if (count <= 0)
            {
                throw CloudWatchErrors.Invalid(path + ".StatisticValues.SampleCount", MetricInputs.Format(count));
            }

            if (min > max)
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"The parameter {path}.StatisticValues.Minimum must not be greater than {path}.StatisticValues.Maximum.");
            }

            return new MetricAggregate(count, sum, min, max, null);
        }

        if (values is not null)
        {
            var list = values.Select((n, i) => Accepted(n is JsonValue jv && jv.TryGetValue<double>(out var d) ? d : double.NaN, $"{path}.Values.member.{i + 1}")).ToList();
            var weights = counts?.Select((n, i) => n is JsonValue jv && jv.TryGetValue<double>(out var d) && double.IsFinite(d) && d >= 0 ? d : throw CloudWatchErrors.Invalid($"{path}.Counts.member.{i + 1}", n?.ToJsonString())).ToList();
            if (list.Count is 0 or > MaxValues)
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"The collection {path}.Values must have between 1 and {MaxValues} members.");
            }

            if (weights is not null && weights.Count != list.Count)
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"The parameters {path}.Values and {path}.Counts must be of the same size.");
            }

            var distribution = new Dictionary<double, double>();
            for (var i = 0; i < list.Count; i++)
            {
                var weight = weights?[i] ?? 1;
                if (weight > 0)
                {
                    distribution[list[i]] = distribution.GetValueOrDefault(list[i]) + weight;
                }
            }

            if (distribution.Count == 0)
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"The parameter {path}.Counts must count at least one value.");
            }

            return new MetricAggregate(distribution.Values.Sum(), distribution.Sum(d => d.Key * d.Value), distribution.Keys.Min(), distribution.Keys.Max(), distribution);
        }

        throw CloudWatchErrors.MissingParameter.ToException($"One of the parameters {path}.Value, {path}.StatisticValues or {path}.Values must be specified.");
    }

    private static double Accepted(double value, string parameter) =>
        MetricInputs.IsAcceptedValue(value) ? value : throw CloudWatchErrors.Invalid(parameter, MetricInputs.Format(value));

    private static double Missing(string parameter) => throw CloudWatchErrors.MissingParameter.ToException($"The parameter {parameter} is required.");
}
