namespace Cloudkeep.LoadGenerator;

/// <summary>Throughput and latency of one scenario at one concurrency.</summary>
internal sealed record LatencyStats(long Requests, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    /// <summary>
    /// Nearest-rank percentile ("the smallest value such that at least p% of the samples are at or
    /// below it") of samples already sorted ascending; no interpolation, so the result is always a
    /// latency that was actually observed.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static LatencyStats From(List<double> latenciesMs, long errors, double seconds)
    {
        latenciesMs.Sort();
        return new LatencyStats(
            latenciesMs.Count,
            errors,
            seconds,
            Percentile(latenciesMs, 50),
            Percentile(latenciesMs, 99),
            latenciesMs.Count == 0 ? double.NaN : latenciesMs[^1]);
    }
}
