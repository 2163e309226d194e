using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Backup.Tests;

public sealed class BackupSchedulerTests
{
    private const string Job = """{"name": "production", "schedule": "0 3 * * *", "database": "postgres://app@db/app", "bucket": "digitalmarketplace-database-backups", "recipient": "key.asc", "object": "production-{yyyyMMddHHmm}.sql.gz.gpg"}""";

    [Fact]
    public void Parse_AJob_ReadsItsScheduleAndArguments()
    {
        var job = Assert.Single(BackupJobsFile.Parse($$"""{"jobs": [{{Job}}]}""", "jobs.json"));

        Assert.Equal("production", job.Name);
        Assert.Equal(new DateTime(2026, 12, 8, 3, 0, 0, DateTimeKind.Utc), job.Schedule.GetNextOccurrence(new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc));
        Assert.Equal("digitalmarketplace-database-backups", job.Run.Bucket);
        Assert.Equal("bucket-owner-full-control", job.Run.Acl);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemTogether()
    {
        var error = Assert.Throws<BackupException>(() => BackupJobsFile.Parse(
            $$"""{"jobs": [{{Job}}, {{Job}}, {"name": "x", "schedule": "every night", "database": "d", "bucket": "b", "recipient": "r", "object": "o", "alertWebhook": "ftp://x"}, {"name": "y"}]}""",
            "jobs.json"));

        Assert.Contains("jobs[1]: the name \"production\" is used twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("jobs[2]: \"schedule\" is not a cron expression", error.Message, StringComparison.Ordinal);
        Assert.Contains("jobs[2]: \"alertWebhook\" must be an http(s) URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("jobs[3]: \"schedule\" is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("jobs[3]: \"object\" is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TwoJobsDueTogether_RunOneAtATimeAtTheirTimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 2, 59, 0, TimeSpan.Zero));
        var jobs = BackupJobsFile.Parse($$"""{"jobs": [{{Job}}, {{Job.Replace("\"production\"", "\"staging\"", StringComparison.Ordinal)}}]}""", "jobs.json");
        var running = 0;
        var overlap = false;
        var started = new List<(string, DateTimeOffset)>();
        var release = new SemaphoreSlim(0);
        var observer = new Recorder();
        using var stop = new CancellationTokenSource();
        var scheduler = new BackupScheduler(jobs, async (job, token) =>
        {
            overlap |= Interlocked.Increment(ref running) > 1;
            started.Add((job.Name, time.GetUtcNow()));
            await release.WaitAsync(token);
            time.Advance(TimeSpan.FromMinutes(5));
            Interlocked.Decrement(ref running);
            return job.Name == "production" ? 0 : 1;
        }, time, observer);
        var loop = scheduler.RunAsync(stop.Token);

        await WaitUntil(() => time.GetUtcNow() > DateTimeOffset.MinValue && !loop.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntil(() => started.Count == 1);
        release.Release();
        await WaitUntil(() => started.Count == 2);
        release.Release();
        await WaitUntil(() => observer.Runs.Count == 2);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        Assert.False(overlap);
        Assert.Equal([("production", new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero)), ("staging", new DateTimeOffset(2026, 12, 7, 3, 5, 0, TimeSpan.Zero))], started);
        Assert.Equal([("production", true), ("staging", false)], observer.Runs);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private sealed class Recorder : IBackupJobObserver
    {
        public List<(string, bool)> Runs { get; } = [];

        public void Completed(string job, bool succeeded, TimeSpan duration, DateTimeOffset finished) => Runs.Add((job, succeeded));
    }
}

/// <summary>The outcome of a scheduled run, as the server's metrics show it.</summary>
[Collection(BackupEstateTests.Name)]
public sealed class BackupJobMetricsTests(BackupEstate estate)
{
    [Fact]
    public async Task RecordJobRun_ShowsInTheServersMetrics()
    {
        estate.Server.Server.RecordJobRun("production", succeeded: true, TimeSpan.FromSeconds(12.5), new DateTimeOffset(2026, 12, 7, 3, 0, 12, TimeSpan.Zero));
        estate.Server.Server.RecordJobRun("production", succeeded: false, TimeSpan.FromSeconds(1), new DateTimeOffset(2026, 12, 8, 3, 0, 1, TimeSpan.Zero));
        using var http = new HttpClient(Cloudkeep.Client.CaBundle.From(estate.Server.CaFile)!.Handler(), disposeHandler: true);

        var text = await http.GetStringAsync(new Uri(estate.Server.Endpoint + "/_cloudkeep/metrics"));

        Assert.Contains("cloudkeep_backup_job_runs_total{job=\"production\",outcome=\"succeeded\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_backup_job_runs_total{job=\"production\",outcome=\"failed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_backup_job_last_duration_seconds{job=\"production\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_backup_job_last_success_timestamp_seconds{job=\"production\"} 1796612412", text, StringComparison.Ordinal);
    }
}
