using System.Globalization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// Stored periods gathered into the periods a query asks for, and the statistics of each: SampleCount,
/// Sum, Minimum, Maximum, Average, and percentiles (pNN, pNN.NN) where the values' distribution was
/// kept (single values and Values/Counts arrays; not statistic sets, as on AWS).
/// </summary>
public static class MetricStatistics
{
    public static readonly IReadOnlyList<string> Standard = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    /// <summary>A bucket of a query: its start (epoch seconds), the merged values and the unit stored with them.</summary>
    public sealed record Bucket(long Start, MetricAggregate Value, string Unit);

    /// <summary>
    /// The query's periods: aligned to <paramref name="start"/>, <paramref name="period"/> seconds
    /// long, up to <paramref name="end"/>; a period with no stored value is left out.
    /// </summary>
    public static IReadOnlyList<Bucket> Gather(IEnumerable<MetricDatapointRecord> rows, long start, long end, int period, string? unit)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var buckets = new SortedDictionary<long, Bucket>();
        foreach (var row in rows)
        {
            if (row.At < start || row.At >= end || (unit is not null && row.Unit != unit))
            {
                continue;
            }

            var at = start + ((row.At - start) / period * period);
            buckets[at] = buckets.TryGetValue(at, out var bucket)
                ? bucket with { Value = bucket.Value.Merge(row.Value) }
                : new Bucket(at, row.Value, row.Unit);
        }

        return [.. buckets.Values];
    }

    /// <summary>A statistic of a bucket; null when it cannot be given (a percentile without a distribution).</summary>
    public static double? Value(MetricAggregate value, string statistic)
    {
        ArgumentNullException.ThrowIfNull(value);
        return statistic switch
        {
            "SampleCount" => value.SampleCount,
            "Sum" => value.Sum,
            "Minimum" => value.Minimum,
            "Maximum" => value.Maximum,
            "Average" => value.SampleCount == 0 ? null : value.Sum / value.SampleCount,
            _ when TryParsePercentile(statistic, out var p) => Percentile(value, p),
            _ => null,
        };
    }

    /// <summary>"p90", "p99.9": a percentile between 0 and 100, with at most two decimals.</summary>
    public static bool TryParsePercentile(string statistic, out double percentile)
    {
        percentile = 0;
        return statistic.Length is > 1 and <= 7 && statistic[0] == 'p'
            && statistic[1..].All(c => char.IsAsciiDigit(c) || c == '.')
            && double.TryParse(statistic[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percentile)
            && percentile is >= 0 and <= 100;
    }

    public static bool IsStatistic(string statistic) => Standard.Contains(statistic) || TryParsePercentile(statistic, out _);

    /// <summary>Nearest rank over the kept distribution: the smallest value at or below which p% of the samples lie.</summary>
    private static double? Percentile(MetricAggregate value, double percentile)
    {
        if (value.Distribution is not { Count: > 0 } distribution)
        {
            return null;
        }

        var total = distribution.Values.Sum();
        var rank = Math.Max(1, Math.Ceiling(percentile / 100 * total));
        var seen = 0.0;
        foreach (var (v, count) in distribution.OrderBy(d => d.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return v;
            }
        }

        return distribution.Keys.Max();
    }
}
