using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>CloudWatch's SQL on PostgreSQL as well as SQLite: every operation, an evaluation, and a retention roll-up.</summary>
public sealed class CloudWatchPostgresTests
{
    [Fact]
    public async Task MetricsAlarmsAndRetention_OnPostgres()
    {
        var clock = new ShiftableClock();
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(database: database, time: clock);
        await CloudWatchBoto3Tests.EveryOperationAsync(server, "json");

        var root = Cli.Root(server);
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60 * 60;
        await root.RunAsync("cloudwatch", "put-metric-data", "--namespace", "Pg", "--metric-name", "Load", "--value", "90", "--storage-resolution", "1",
            "--timestamp", CloudWatchFixture.Iso(DateTimeOffset.FromUnixTimeSeconds(minute - 30)));
        await root.RunAsync("cloudwatch", "put-metric-alarm", "--alarm-name", "pg-load", "--namespace", "Pg", "--metric-name", "Load", "--statistic", "Average",
            "--period", "60", "--evaluation-periods", "1", "--threshold", "50", "--comparison-operator", "GreaterThanThreshold");
        var services = server.Server.Services;
        Assert.Equal(1, await services.GetRequiredService<AlarmEvaluator>().EvaluateAllAsync(CancellationToken.None));
        Assert.Equal("ALARM", (await root.RunAsync("cloudwatch", "describe-alarms", "--alarm-names", "pg-load")).GetProperty("MetricAlarms")[0].GetProperty("StateValue").GetString());

        await root.RunAsync("cloudwatch", "set-alarm-state", "--alarm-name", "pg-load", "--state-value", "OK", "--state-reason", "by hand");
        var history = (await root.RunAsync("cloudwatch", "describe-alarm-history", "--alarm-name", "pg-load", "--history-item-type", "StateUpdate")).GetProperty("AlarmHistoryItems");
        Assert.Contains(history.EnumerateArray(), item => item.GetProperty("HistorySummary").GetString()!.Contains("ALARM to OK", StringComparison.Ordinal));

        clock.Offset = TimeSpan.FromHours(4);
        var maintenance = services.GetRequiredService<MetricsMaintenance>();
        Assert.True(await maintenance.DueAsync(clock.GetUtcNow(), CancellationToken.None));
        await maintenance.RunAsync(clock.GetUtcNow(), CancellationToken.None);
        var metric = MetricInputs.Metric("111122223333", "eu-west-1", "Pg", "Load", []);
        var rows = await services.GetRequiredService<CloudWatchContext>().Repository.ReadAsync(metric.Key, 0, long.MaxValue, CancellationToken.None);
        Assert.Equal(60, Assert.Single(rows).Resolution);
    }
}
