using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>
/// What CloudWatch keeps as data ages, on a clock the test moves past each retention boundary (the
/// retention pass and the reads run in process there, since a client's signature would be too far
/// from a clock months ahead); and S3's daily storage metrics, read back through the AWS CLI.
/// </summary>
public abstract class CloudWatchRetentionTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), time: _clock);
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract MetadataEngine Engine { get; }

    [Fact]
    public async Task Retention_AgingData_RollsUpAndIsAnsweredOnlyAtTheResolutionKept()
    {
        var now = _clock.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60 * 60 - 600;
        foreach (var (second, value) in new[] { (1, 10), (2, 20), (3, 30) })
        {
            await _root.RunAsync("cloudwatch", "put-metric-data", "--namespace", "Aging", "--metric-name", "Depth", "--value", value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--storage-resolution", "1", "--timestamp", CloudWatchFixture.Iso(DateTimeOffset.FromUnixTimeSeconds(minute + second)));
        }

        var services = _server.Server.Services;
        var cloudWatch = services.GetRequiredService<CloudWatchContext>();
        var maintenance = services.GetRequiredService<MetricsMaintenance>();
        var metric = MetricInputs.Metric("111122223333", "eu-west-1", "Aging", "Depth", []);
        var start = DateTimeOffset.FromUnixTimeSeconds(minute);
        var end = start + TimeSpan.FromHours(1);

        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, await CountsAsync(1));

        _clock.Offset = TimeSpan.FromHours(4);
        await maintenance.RunAsync(_clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(new[] { 60 }, await ResolutionsAsync());
        Assert.Empty(await CountsAsync(1));
        Assert.Equal(new[] { 3.0 }, await CountsAsync(60));

        _clock.Offset = TimeSpan.FromDays(16);
        await maintenance.RunAsync(_clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(new[] { 300 }, await ResolutionsAsync());
        Assert.Empty(await CountsAsync(60));
        Assert.Equal(new[] { 3.0 }, await CountsAsync(300));

        _clock.Offset = TimeSpan.FromDays(64);
        await maintenance.RunAsync(_clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(new[] { 3600 }, await ResolutionsAsync());
        Assert.Empty(await CountsAsync(300));
        Assert.Equal(new[] { 3.0 }, await CountsAsync(3600));

        _clock.Offset = TimeSpan.FromDays(456);
        Assert.True(await maintenance.DueAsync(_clock.GetUtcNow(), CancellationToken.None));
        await maintenance.RunAsync(_clock.GetUtcNow(), CancellationToken.None);
        Assert.Empty(await ResolutionsAsync());
        Assert.Empty(await cloudWatch.Repository.ListMetricsAsync("111122223333", "eu-west-1", "Aging", null, DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.False(await maintenance.DueAsync(_clock.GetUtcNow(), CancellationToken.None));

        async Task<double[]> CountsAsync(int period) =>
            [.. (await MetricReader.ReadAsync(cloudWatch.Repository, metric, start, end, period, null, _clock.GetUtcNow(), CancellationToken.None)).Select(b => b.Value.SampleCount)];

        async Task<int[]> ResolutionsAsync() =>
            [.. (await cloudWatch.Repository.ReadAsync(metric.Key, 0, long.MaxValue, CancellationToken.None)).Select(r => r.Resolution).Distinct()];
    }

    [Fact]
    public async Task S3StorageMetrics_Daily_BucketSizeByStorageTypeAndObjectCount()
    {
        await _root.RunAsync("s3api", "create-bucket", "--bucket", "metrics-bucket", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, new string('x', 1000));
        await _root.RunAsync("s3api", "put-object", "--bucket", "metrics-bucket", "--key", "a", "--body", file);
        await _root.RunAsync("s3api", "put-object", "--bucket", "metrics-bucket", "--key", "b", "--body", file);
        await _root.RunAsync("s3api", "put-object", "--bucket", "metrics-bucket", "--key", "c", "--body", file, "--storage-class", "STANDARD_IA");
        File.Delete(file);
        var day = new DateTimeOffset(_clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

        await _server.Server.Services.GetRequiredService<S3StorageMetrics>().PublishAsync(day, CancellationToken.None);

        async Task<double> StatisticAsync(string metric, string storageType) =>
            (await _root.RunAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/S3", "--metric-name", metric,
                "--dimensions", "Name=BucketName,Value=metrics-bucket", $"Name=StorageType,Value={storageType}",
                "--start-time", CloudWatchFixture.Iso(day), "--end-time", CloudWatchFixture.Iso(day.AddDays(1)), "--period", "86400", "--statistics", "Average"))
            .GetProperty("Datapoints")[0].GetProperty("Average").GetDouble();

        Assert.Equal(2000, await StatisticAsync("BucketSizeBytes", "StandardStorage"));
        Assert.Equal(1000, await StatisticAsync("BucketSizeBytes", "StandardIAStorage"));
        Assert.Equal(3, await StatisticAsync("NumberOfObjects", "AllStorageTypes"));
        var listed = await _root.RunAsync("cloudwatch", "list-metrics", "--namespace", "AWS/S3", "--dimensions", "Name=BucketName,Value=metrics-bucket");
        Assert.Equal(3, listed.GetProperty("Metrics").GetArrayLength());
    }
}

public sealed class CloudWatchRetentionTestsOnSqlite : CloudWatchRetentionTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class CloudWatchRetentionTestsOnPostgres : CloudWatchRetentionTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
