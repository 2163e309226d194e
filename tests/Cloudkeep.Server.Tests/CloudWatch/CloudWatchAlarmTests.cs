using System.Globalization;
using System.Text.Json;
using Cloudkeep.Server.Tests.Sns;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>
/// Alarms evaluated by the job in serve on a clock the test moves: data above the threshold takes
/// the alarm to ALARM once enough periods breach, the topic's HTTP subscriber gets CloudWatch's
/// alarm message, data below brings it back to OK, and a restart keeps the state and carries on.
/// </summary>
public sealed class CloudWatchAlarmTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private readonly TempDirectory _data = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Alarm_DataAboveThenBelowTheThreshold_GoesToAlarmThenOk_NotifiesSns_AndKeepsItsStateOverARestart()
    {
        var topic = await SnsFixture.CreateTopicAsync(_root, "ops-alarms");
        await using var subscriber = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(_root, topic, subscriber);
        await _root.RunAsync("cloudwatch", "put-metric-alarm", "--alarm-name", "api-latency", "--alarm-description", "API too slow",
            "--namespace", "App", "--metric-name", "Latency", "--dimensions", "Name=Service,Value=api", "--statistic", "Maximum",
            "--period", "60", "--evaluation-periods", "2", "--datapoints-to-alarm", "2", "--threshold", "50",
            "--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "notBreaching",
            "--alarm-actions", topic, "--ok-actions", topic);

        // One breaching minute of two: not enough (the missing one counts as not breaching).
        await PutAsync(80, minutesAgo: 1);
        Assert.Equal("OK", await StateAfterEvaluationAsync(s => s != "INSUFFICIENT_DATA"));
        var ok = await subscriber.NextAsync();
        Assert.Equal("OK", AlarmMessage(ok).GetProperty("NewStateValue").GetString());

        // A minute later the next one breaches too: ALARM, and the topic hears of it.
        _clock.Offset += TimeSpan.FromMinutes(1);
        await PutAsync(90, minutesAgo: 1);
        Assert.Equal("ALARM", await StateAfterEvaluationAsync(s => s == "ALARM"));
        var notification = await subscriber.NextAsync();
        var envelope = JsonDocument.Parse(notification.Body).RootElement;
        Assert.Equal("ALARM: \"api-latency\" in EU (Ireland)", envelope.GetProperty("Subject").GetString());
        var alarm = AlarmMessage(notification);
        Assert.Equal("api-latency", alarm.GetProperty("AlarmName").GetString());
        Assert.Equal("API too slow", alarm.GetProperty("AlarmDescription").GetString());
        Assert.Equal("111122223333", alarm.GetProperty("AWSAccountId").GetString());
        Assert.Equal("ALARM", alarm.GetProperty("NewStateValue").GetString());
        Assert.Equal("OK", alarm.GetProperty("OldStateValue").GetString());
        Assert.StartsWith("Threshold Crossed: 2 out of the last 2 datapoints [90.0 (", alarm.GetProperty("NewStateReason").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", alarm.GetProperty("StateChangeTime").GetString());
        Assert.Equal("EU (Ireland)", alarm.GetProperty("Region").GetString());
        Assert.Equal("arn:aws:cloudwatch:eu-west-1:111122223333:alarm:api-latency", alarm.GetProperty("AlarmArn").GetString());
        Assert.Equal(topic, alarm.GetProperty("AlarmActions")[0].GetString());
        var trigger = alarm.GetProperty("Trigger");
        Assert.Equal("Latency", trigger.GetProperty("MetricName").GetString());
        Assert.Equal("App", trigger.GetProperty("Namespace").GetString());
        Assert.Equal("Statistic", trigger.GetProperty("StatisticType").GetString());
        Assert.Equal("MAXIMUM", trigger.GetProperty("Statistic").GetString());
        Assert.Equal("""[{"value":"api","name":"Service"}]""", trigger.GetProperty("Dimensions").GetRawText());
        Assert.Equal(60, trigger.GetProperty("Period").GetInt32());
        Assert.Equal(2, trigger.GetProperty("EvaluationPeriods").GetInt32());
        Assert.Equal("GreaterThanThreshold", trigger.GetProperty("ComparisonOperator").GetString());
        Assert.Equal(50.0, trigger.GetProperty("Threshold").GetDouble());
        Assert.Equal("notBreaching", trigger.GetProperty("TreatMissingData").GetString());

        // Below the threshold again: one good minute is enough for OK.
        _clock.Offset += TimeSpan.FromMinutes(1);
        await PutAsync(10, minutesAgo: 1);
        Assert.Equal("OK", await StateAfterEvaluationAsync(s => s == "OK"));
        Assert.Equal("OK", AlarmMessage(await subscriber.NextAsync()).GetProperty("NewStateValue").GetString());

        // A restart between evaluations: the state is the stored one, and evaluation goes on from it.
        await _server.DisposeAsync();
        await StartAsync();
        var described = (await _root.RunAsync("cloudwatch", "describe-alarms", "--alarm-names", "api-latency")).GetProperty("MetricAlarms")[0];
        Assert.Equal("OK", described.GetProperty("StateValue").GetString());
        _clock.Offset += TimeSpan.FromMinutes(1);
        await PutAsync(95, minutesAgo: 2);
        await PutAsync(99, minutesAgo: 1);
        Assert.Equal("ALARM", await StateAfterEvaluationAsync(s => s == "ALARM"));
        Assert.Equal("OK", AlarmMessage(await subscriber.NextAsync()).GetProperty("OldStateValue").GetString());

        var history = (await _root.RunAsync("cloudwatch", "describe-alarm-history", "--alarm-name", "api-latency", "--history-item-type", "StateUpdate", "--scan-by", "TimestampAscending"))
            .GetProperty("AlarmHistoryItems").EnumerateArray().Select(h => h.GetProperty("HistorySummary").GetString()).ToList();
        Assert.Equal(
            ["Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM", "Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"],
            history);
        var actions = (await _root.RunAsync("cloudwatch", "describe-alarm-history", "--alarm-name", "api-latency", "--history-item-type", "Action"))
            .GetProperty("AlarmHistoryItems").EnumerateArray().Select(h => h.GetProperty("HistorySummary").GetString()).ToList();
        Assert.All(actions, a => Assert.Equal("Successfully executed action " + topic, a));
    }

    [Fact]
    public async Task Alarm_TopicWhosePolicyLeavesCloudWatchOut_RecordsTheFailedAction()
    {
        var topic = await SnsFixture.CreateTopicAsync(_root, "closed");
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish","Resource":"{{topic}}"}]}""";
        await _root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value", policy);
        await _root.RunAsync("cloudwatch", "put-metric-alarm", "--alarm-name", "closed-topic", "--namespace", "App", "--metric-name", "Errors",
            "--statistic", "Sum", "--period", "60", "--evaluation-periods", "1", "--threshold", "0", "--comparison-operator", "GreaterThanThreshold", "--alarm-actions", topic);

        await _root.RunAsync("cloudwatch", "set-alarm-state", "--alarm-name", "closed-topic", "--state-value", "ALARM", "--state-reason", "testing the action");

        var action = (await _root.RunAsync("cloudwatch", "describe-alarm-history", "--alarm-name", "closed-topic", "--history-item-type", "Action")).GetProperty("AlarmHistoryItems")[0];
        Assert.StartsWith("Failed to execute action " + topic, action.GetProperty("HistorySummary").GetString(), StringComparison.Ordinal);
    }

    private async Task StartAsync()
    {
        _server = await TestServer.StartAsync(dataDirectory: _data.Path, time: _clock, alarmEvaluationInterval: TimeSpan.FromMilliseconds(200));
        _root = Cli.Root(_server);
    }

    /// <summary>A data point in the minute <paramref name="minutesAgo"/> complete minutes back on the server's clock.</summary>
    private async Task PutAsync(double value, int minutesAgo)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var at = DateTimeOffset.FromUnixTimeSeconds(now - (now % 60) - (minutesAgo * 60) + 30);
        await _root.RunAsync("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-name", "Latency", "--dimensions", "Service=api",
            "--value", value.ToString(CultureInfo.InvariantCulture), "--timestamp", CloudWatchFixture.Iso(at));
    }

    private async Task<string> StateAfterEvaluationAsync(Func<string, bool> reached)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string state;
        do
        {
            await Task.Delay(150);
            state = (await _root.RunAsync("cloudwatch", "describe-alarms", "--alarm-names", "api-latency")).GetProperty("MetricAlarms")[0].GetProperty("StateValue").GetString()!;
        }
        while (!reached(state) && DateTime.UtcNow < deadline);
        return state;
    }

    private static JsonElement AlarmMessage(HttpSubscriber.Received received) =>
        JsonDocument.Parse(JsonDocument.Parse(received.Body).RootElement.GetProperty("Message").GetString()!).RootElement;
}
