namespace Cloudkeep.LoadGenerator.Tests;

public sealed class LatencyStatsTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    [InlineData(0.5, 1)]
    [InlineData(99.5, 100)]
    public void Percentile_OneToHundred_IsNearestRank(double percent, double expected) =>
        Assert.Equal(expected, LatencyStats.Percentile(OneToHundred, percent));

    [Fact]
    public void Percentile_SingleSample_IsThatSample() =>
        Assert.Equal(7.5, LatencyStats.Percentile([7.5], 99));

    [Fact]
    public void Percentile_NoSamples_IsNaN() =>
        Assert.True(double.IsNaN(LatencyStats.Percentile([], 50)));

    [Fact]
    public void Percentile_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStats.Percentile(OneToHundred, 101));

    [Fact]
    public void From_UnsortedSamples_SortsAndCountsRate()
    {
        var stats = LatencyStats.From([5, 1, 4, 2, 3], errors: 1, seconds: 2);

        Assert.Equal(5, stats.Requests);
        Assert.Equal(1, stats.Errors);
        Assert.Equal(2.5, stats.RequestsPerSecond);
        Assert.Equal(3, stats.P50Ms);
        Assert.Equal(5, stats.P99Ms);
        Assert.Equal(5, stats.MaxMs);
    }
}
