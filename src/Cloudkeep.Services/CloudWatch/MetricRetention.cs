namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// How long CloudWatch keeps each resolution ("Metrics retention", CloudWatch User Guide): data
/// points of a period under 60 seconds for 3 hours, 60 seconds for 15 days, 5 minutes for 63 days,
/// 1 hour for 455 days (15 months). Older data is rolled up into the next resolution, so it stays
/// readable with a coarser period; what a query may ask for follows the same rule
/// (GetMetricStatistics: "If the StartTime parameter specifies a time stamp that is greater than 3
/// hours ago, you must specify the period as follows or no data points in that time range is returned").
/// </summary>
public static class MetricRetention
{
    /// <summary>Each kept resolution (seconds), how long it is kept, and the resolution it rolls up into (0: deleted).</summary>
    public static readonly IReadOnlyList<(int Resolution, TimeSpan KeptFor, int RollsInto)> Tiers =
    [
        (1, TimeSpan.FromHours(3), 60),
        (60, TimeSpan.FromDays(15), 300),
        (300, TimeSpan.FromDays(63), 3600),
        (3600, TimeSpan.FromDays(455), 0),
    ];

    /// <summary>Whether a period can be answered for data starting at <paramref name="start"/>: the period must be a multiple of what is kept that far back.</summary>
    public static bool Answerable(int period, DateTimeOffset start, DateTimeOffset now)
    {
        var age = now - start;
        var needed = age > TimeSpan.FromDays(63) ? 3600 : age > TimeSpan.FromDays(15) ? 300 : age > TimeSpan.FromHours(3) ? 60 : 1;
        return period % needed == 0;
    }

    /// <summary>Periods GetMetricStatistics and alarms accept: 1, 5, 10, 30 and any multiple of 60.</summary>
    public static bool ValidPeriod(long period) => period is 1 or 5 or 10 or 30 || (period > 0 && period % 60 == 0);
}
