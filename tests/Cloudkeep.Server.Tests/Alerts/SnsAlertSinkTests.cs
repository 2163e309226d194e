using System.Text.Json;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Tests.Sns;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>
/// An SNS topic as an alert sink, as an EventBridge rule targets one: published as events.amazonaws.com
/// through the topic's policy, reaching a real HTTP subscriber signed as SNS signs; a topic whose
/// policy does not allow EventBridge gets nothing and the alert waits for a retry.
/// </summary>
public sealed class SnsAlertSinkTests
{
    private const string RootSignIn = """
        {"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},
         "eventTime":"2026-12-07T03:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5",
         "userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},
         "eventID":"3f1c5e2a-0000-4000-8000-000000000002","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}
        """;

    private const string Allowed = "arn:aws:sns:eu-west-1:111122223333:security-alerts";
    private const string Closed = "arn:aws:sns:eu-west-1:111122223333:closed-alerts";

    [Fact]
    public async Task Alert_PublishedToTopicWhosePolicyAllowsEventBridge_SignedMessageReachesSubscriber()
    {
        await using var server = await TestServer.StartAsync(alerts: new AlertOptions
        {
            SnsTopics = [Allowed, Closed],
            DeliveryInterval = TimeSpan.FromMilliseconds(200),
            FirstRetry = TimeSpan.FromMinutes(10),
        });
        var root = Cli.Root(server);
        Assert.Equal(Allowed, await SnsFixture.CreateTopicAsync(root, "security-alerts"));
        Assert.Equal(Closed, await SnsFixture.CreateTopicAsync(root, "closed-alerts"));
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new
                {
                    Effect = "Allow", Principal = new { Service = "events.amazonaws.com" }, Action = "sns:Publish", Resource = Allowed,
                    Condition = new { ArnLike = new Dictionary<string, string> { ["aws:SourceArn"] = "arn:aws:events:eu-west-1:111122223333:rule/*" } },
                },
            },
        });
        await root.RunAsync("sns", "set-topic-attributes", "--topic-arn", Allowed, "--attribute-name", "Policy", "--attribute-value", policy);
        await using var allowed = new HttpSubscriber();
        await using var closed = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(root, Allowed, allowed);
        await SnsFixture.SubscribeConfirmedAsync(root, Closed, closed);

        var raised = await server.Server.Alerts.OnEventAsync(JsonDocument.Parse(RootSignIn).RootElement, CancellationToken.None);

        var message = JsonDocument.Parse((await allowed.NextAsync()).Body).RootElement;
        Assert.Equal("Notification", message.GetProperty("Type").GetString());
        Assert.Equal("[Cloudkeep High] Root user signed in in account 111122223333", message.GetProperty("Subject").GetString());
        Assert.True(await SnsSignature.VerifyAsync(message));
        var alert = JsonDocument.Parse(message.GetProperty("Message").GetString()!).RootElement;
        Assert.Equal(("root-sign-in", raised[0]["alertId"]!.GetValue<string>()), (alert.GetProperty("rule").GetString(), alert.GetProperty("alertId").GetString()));

        // The default topic policy lets only the owner publish: the EventBridge publish is refused, kept for a retry.
        Assert.Null(await closed.NothingWithinAsync(TimeSpan.FromSeconds(2)));
        await using var store = MetadataStoreFactory.Create(null, server.DataDirectory);
        var outbox = new AlertOutboxRepository(store);
        // (The CLI's root key raised root-access-key-used alerts too: pick this test's own.)
        var waiting = Assert.Single(await outbox.ListAsync(AlertOutboxRow.Pending, 10, CancellationToken.None), r => r.Sink == "sns:" + Closed && r.AlertId == raised[0]["alertId"]!.GetValue<string>());
        Assert.Contains("does not let events.amazonaws.com publish", waiting.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Sink_NotATopicArn_RefusedAtStart() =>
        Assert.Throws<ArgumentException>(() => new AlertSinks(new AlertOptions { SnsTopics = ["arn:aws:sqs:eu-west-1:111122223333:queue"] }, Path.GetTempPath(), null!));
}
