namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>The operations through `aws cloudwatch ...` as a person types them, and a few refusals as the CLI shows them.</summary>
public sealed class CloudWatchCliTests(CloudWatchFixture fixture) : IClassFixture<CloudWatchFixture>
{
    [Fact]
    public async Task Cli_MetricsAndAlarms_EveryCommand()
    {
        var root = fixture.Root;
        var ns = CloudWatchFixture.Unique("Cli");
        var alarm = CloudWatchFixture.Unique("cli-alarm");
        var now = DateTimeOffset.UtcNow;
        var minute = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60 - 60);
        await root.RunAsync("cloudwatch", "put-metric-data", "--namespace", ns, "--metric-name", "Queue", "--dimensions", "Queue=jobs", "--value", "4", "--unit", "Count", "--timestamp", CloudWatchFixture.Iso(minute));
        await root.RunAsync("cloudwatch", "put-metric-data", "--namespace", ns, "--metric-name", "Queue", "--dimensions", "Queue=jobs", "--statistic-values", "SampleCount=2,Sum=10,Minimum=3,Maximum=7", "--unit", "Count", "--timestamp", CloudWatchFixture.Iso(minute.AddSeconds(20)));

        var data = await root.RunAsync("cloudwatch", "get-metric-data", "--start-time", CloudWatchFixture.Iso(minute.AddMinutes(-5)), "--end-time", CloudWatchFixture.Iso(minute.AddMinutes(2)),
            "--metric-data-queries", $$$"""[{"Id":"q","Label":"jobs queue","MetricStat":{"Metric":{"Namespace":"{{{ns}}}","MetricName":"Queue","Dimensions":[{"Name":"Queue","Value":"jobs"}]},"Period":60,"Stat":"Maximum","Unit":"Count"}}]""");
        var result = data.GetProperty("MetricDataResults")[0];
        Assert.Equal("jobs queue", result.GetProperty("Label").GetString());
        Assert.Equal(7, result.GetProperty("Values")[0].GetDouble());
        Assert.Equal(minute.ToUnixTimeSeconds(), (long)result.GetProperty("Timestamps")[0].GetDouble());

        var metrics = await root.RunAsync("cloudwatch", "list-metrics", "--namespace", ns, "--metric-name", "Queue", "--recently-active", "PT3H");
        Assert.Equal("jobs", metrics.GetProperty("Metrics")[0].GetProperty("Dimensions")[0].GetProperty("Value").GetString());

        await root.RunAsync("cloudwatch", "put-metric-alarm", "--alarm-name", alarm, "--namespace", ns, "--metric-name", "Queue", "--dimensions", "Name=Queue,Value=jobs",
            "--extended-statistic", "p90", "--period", "300", "--evaluation-periods", "1", "--threshold", "100", "--comparison-operator", "GreaterThanOrEqualToThreshold",
            "--tags", "Key=owner,Value=ops");
        var forMetric = await root.RunAsync("cloudwatch", "describe-alarms-for-metric", "--namespace", ns, "--metric-name", "Queue", "--extended-statistic", "p90", "--period", "300");
        Assert.Equal("p90", forMetric.GetProperty("MetricAlarms")[0].GetProperty("ExtendedStatistic").GetString());

        await root.RunAsync("cloudwatch", "disable-alarm-actions", "--alarm-names", alarm);
        Assert.False((await root.RunAsync("cloudwatch", "describe-alarms", "--alarm-names", alarm)).GetProperty("MetricAlarms")[0].GetProperty("ActionsEnabled").GetBoolean());
        await root.RunAsync("cloudwatch", "enable-alarm-actions", "--alarm-names", alarm);
        Assert.True((await root.RunAsync("cloudwatch", "describe-alarms", "--alarm-names", alarm)).GetProperty("MetricAlarms")[0].GetProperty("ActionsEnabled").GetBoolean());

        var arn = $"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:{alarm}";
        await root.RunAsync("cloudwatch", "tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=prod");
        await root.RunAsync("cloudwatch", "untag-resource", "--resource-arn", arn, "--tag-keys", "owner");
        var tags = await root.RunAsync("cloudwatch", "list-tags-for-resource", "--resource-arn", arn);
        Assert.Equal("env", tags.GetProperty("Tags")[0].GetProperty("Key").GetString());
        Assert.Equal(1, tags.GetProperty("Tags").GetArrayLength());

        await root.RunAsync("cloudwatch", "set-alarm-state", "--alarm-name", alarm, "--state-value", "ALARM", "--state-reason", "drill");
        var history = await root.RunAsync("cloudwatch", "describe-alarm-history", "--alarm-name", alarm);
        Assert.Contains(history.GetProperty("AlarmHistoryItems").EnumerateArray(), h => h.GetProperty("HistoryItemType").GetString() == "ConfigurationUpdate");

        await root.RunAsync("cloudwatch", "delete-alarms", "--alarm-names", alarm);
        Assert.Equal(0, (await root.RunAsync("cloudwatch", "describe-alarms", "--alarm-name-prefix", alarm)).GetProperty("MetricAlarms").GetArrayLength());
    }

    [Theory]
    [InlineData("InvalidParameterValue", "put-metric-data", "--namespace", "AWS/S3", "--metric-name", "m", "--value", "1")]
    [InlineData("InvalidParameterCombination", "get-metric-statistics", "--namespace", "N", "--metric-name", "m", "--start-time", "2026-01-01T00:00:00Z", "--end-time", "2026-01-03T00:00:00Z", "--period", "60", "--statistics", "Sum")]
    [InlineData("MissingParameter", "put-metric-alarm", "--alarm-name", "a", "--namespace", "N", "--metric-name", "m", "--period", "60", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanThreshold")]
    [InlineData("ResourceNotFound", "delete-alarms", "--alarm-names", "not-an-alarm")]
    public async Task Cli_BadInput_ShowsCloudWatchsCode(string code, params string[] arguments)
    {
        var error = await fixture.Root.FailAsync(["cloudwatch", .. arguments]);
        Assert.Contains($"An error occurred ({code})", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_OverTheAlarmQuota_IsLimitExceeded()
    {
        var context = fixture.Server.Server.Services.GetService(typeof(Services.CloudWatch.CloudWatchContext)) as Services.CloudWatch.CloudWatchContext;
        var before = context!.AlarmQuota;
        var existing = (await fixture.Root.RunAsync("cloudwatch", "describe-alarms")).GetProperty("MetricAlarms").GetArrayLength();
        context.AlarmQuota = existing + 1;
        try
        {
            string[] alarm = ["--namespace", "N", "--metric-name", "m", "--statistic", "Sum", "--period", "60", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanThreshold"];
            var first = CloudWatchFixture.Unique("quota");
            await fixture.Root.RunAsync(["cloudwatch", "put-metric-alarm", "--alarm-name", first, .. alarm]);
            var error = await fixture.Root.FailAsync(["cloudwatch", "put-metric-alarm", "--alarm-name", CloudWatchFixture.Unique("quota"), .. alarm]);
            Assert.Contains("An error occurred (LimitExceeded)", error, StringComparison.Ordinal);

            // Updating an alarm that exists is not a new one.
            await fixture.Root.RunAsync(["cloudwatch", "put-metric-alarm", "--alarm-name", first, .. alarm]);
            await fixture.Root.RunAsync("cloudwatch", "delete-alarms", "--alarm-names", first);
        }
        finally
        {
            context.AlarmQuota = before;
        }

    }
}
