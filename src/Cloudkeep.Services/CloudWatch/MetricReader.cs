using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>Reads one metric's statistic over a time range in periods, for GetMetricStatistics, GetMetricData and alarms alike.</summary>
public static class MetricReader
{
    /// <summary>Most data points one GetMetricStatistics call may ask for.</summary>
    public const int MaxStatisticsDatapoints = 1440;

    /// <summary>
    /// The query's first period start: times are rounded down to the period's granularity, as the
    /// API reference describes (to the second below a minute, to the minute, to 5 minutes past 15
    /// days, to the hour past 63 days).
    /// </summary>
    public static long AlignedStart(DateTimeOffset start, int period, DateTimeOffset now)
    {
        var seconds = start.ToUnixTimeSeconds();
        var age = now - start;
        var granularity = age > TimeSpan.FromDays(63) ? 3600 : age > TimeSpan.FromDays(15) ? 300 : period >= 60 ? 60 : 1;
        return seconds - (((seconds % granularity) + granularity) % granularity);
    }

    /// <summary>The stored periods of a metric from <paramref name="start"/> to <paramref name="end"/>, gathered into <paramref name="period"/>-second buckets.</summary>
    public static async Task<IReadOnlyList<MetricStatistics.Bucket>> ReadAsync(CloudWatchRepository repository, MetricIdentity metric, DateTimeOffset start, DateTimeOffset end, int period, string? unit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(metric);
        if (!MetricRetention.Answerable(period, start, now))
        {
            return [];
        }

        var from = AlignedStart(start, period, now);
        var to = end.ToUnixTimeSeconds();
        if (to <= from)
        {
            return [];
        }

        var rows = await repository.ReadAsync(metric.Key, from, to, cancellationToken);
        return MetricStatistics.Gather(rows, from, to, period, unit);
    }
}
