using System.Text.Json;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>SNS end to end through the AWS CLI: topics, HTTP subscriptions confirmed through their SubscribeURL, signed notifications, filter policies, raw delivery, retries and unsubscribing.</summary>
public abstract class SnsDeliveryTests(SnsFixture fixture)
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task HttpSubscription_ConfirmedAndPublished_DeliversMessagesSignedAsSnsSignsThem(string signatureVersion)
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "orders-v" + signatureVersion);
        await fixture.Root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "SignatureVersion", "--attribute-value", signatureVersion);
        await using var endpoint = new HttpSubscriber();

        var pending = await fixture.Root.RunAsync("sns", "subscribe", "--topic-arn", topic, "--protocol", "http", "--notification-endpoint", endpoint.Url);
        Assert.Equal("pending confirmation", pending.GetProperty("SubscriptionArn").GetString());
        var confirmation = await endpoint.NextAsync();
        Assert.Equal("POST", confirmation.Method);
        Assert.Equal("SubscriptionConfirmation", confirmation.Headers["x-amz-sns-message-type"]);
        Assert.Equal(topic, confirmation.Headers["x-amz-sns-topic-arn"]);
        Assert.StartsWith("text/plain", confirmation.Headers["content-type"], StringComparison.Ordinal);
        var document = JsonDocument.Parse(confirmation.Body).RootElement;
        Assert.True(await SnsSignature.VerifyAsync(document));
        Assert.Equal(signatureVersion, document.GetProperty("SignatureVersion").GetString());

        using (var http = new HttpClient())
        {
            var confirmed = await http.GetAsync(document.GetProperty("SubscribeURL").GetString());
            Assert.True(confirmed.IsSuccessStatusCode, await confirmed.Content.ReadAsStringAsync());
            Assert.Contains("<ConfirmSubscriptionResult>", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var listed = (await fixture.Root.RunAsync("sns", "list-subscriptions-by-topic", "--topic-arn", topic)).GetProperty("Subscriptions")[0];
        var subscription = listed.GetProperty("SubscriptionArn").GetString()!;
        Assert.StartsWith(topic + ":", subscription, StringComparison.Ordinal);

        var published = await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--subject", "New order", "--message", "order 42 ✓",
            "--message-attributes", """{"kind":{"DataType":"String","StringValue":"order"}}""");
        var notification = await endpoint.NextAsync();
        Assert.Equal("Notification", notification.Headers["x-amz-sns-message-type"]);
        Assert.Equal(subscription, notification.Headers["x-amz-sns-subscription-arn"]);
        var message = JsonDocument.Parse(notification.Body).RootElement;
        Assert.Equal(published.GetProperty("MessageId").GetString(), message.GetProperty("MessageId").GetString());
        Assert.Equal("order 42 ✓", message.GetProperty("Message").GetString());
        Assert.Equal("New order", message.GetProperty("Subject").GetString());
        Assert.Equal("order", message.GetProperty("MessageAttributes").GetProperty("kind").GetProperty("Value").GetString());
        Assert.True(await SnsSignature.VerifyAsync(message));

        var attributes = (await fixture.Root.RunAsync("sns", "get-topic-attributes", "--topic-arn", topic)).GetProperty("Attributes");
        Assert.Equal("1", attributes.GetProperty("SubscriptionsConfirmed").GetString());
        Assert.Equal("0", attributes.GetProperty("SubscriptionsPending").GetString());
    }

    [Fact]
    public async Task Message_AlteredAfterSigning_FailsVerification()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "tamper");
        await using var endpoint = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(fixture.Root, topic, endpoint);
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "pay 10");
        var body = (await endpoint.NextAsync()).Body.Replace("pay 10", "pay 99", StringComparison.Ordinal);

        Assert.False(await SnsSignature.VerifyAsync(JsonDocument.Parse(body).RootElement));
    }

    [Fact]
    public async Task FilterPolicy_OnlyMatchingMessagesArrive_RawDeliveryPostsTheBareMessage()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "filtered");
        await using var endpoint = new HttpSubscriber();
        var subscription = await SnsFixture.SubscribeConfirmedAsync(fixture.Root, topic, endpoint);
        await fixture.Root.RunAsync("sns", "set-subscription-attributes", "--subscription-arn", subscription, "--attribute-name", "FilterPolicy",
            "--attribute-value", """{"store":["example_corp"],"price":[{"numeric":[">=",100]}]}""");
        await fixture.Root.RunAsync("sns", "set-subscription-attributes", "--subscription-arn", subscription, "--attribute-name", "RawMessageDelivery", "--attribute-value", "true");

        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "cheap",
            "--message-attributes", """{"store":{"DataType":"String","StringValue":"example_corp"},"price":{"DataType":"Number","StringValue":"5"}}""");
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "other store",
            "--message-attributes", """{"store":{"DataType":"String","StringValue":"acme"},"price":{"DataType":"Number","StringValue":"500"}}""");
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "wanted",
            "--message-attributes", """{"store":{"DataType":"String","StringValue":"example_corp"},"price":{"DataType":"Number","StringValue":"250"}}""");

        var delivered = await endpoint.NextAsync();
        Assert.Equal("wanted", delivered.Body);
        Assert.Equal("true", delivered.Headers["x-amz-sns-rawdelivery"]);
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        var attributes = (await fixture.Root.RunAsync("sns", "get-subscription-attributes", "--subscription-arn", subscription)).GetProperty("Attributes");
        Assert.Equal("true", attributes.GetProperty("RawMessageDelivery").GetString());
        Assert.Equal("false", attributes.GetProperty("PendingConfirmation").GetString());
    }

    [Fact]
    public async Task FailingEndpoint_IsRetriedOnTheDeliveryPolicy_RefusingEndpointIsNot()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "retried");
        await fixture.Root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "DeliveryPolicy",
            "--attribute-value", """{"http":{"defaultHealthyRetryPolicy":{"numRetries":3,"minDelayTarget":1,"maxDelayTarget":1}}}""");
        await using var endpoint = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(fixture.Root, topic, endpoint);

        endpoint.Status = 503;
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "eventually");
        var first = await endpoint.NextAsync();
        endpoint.Status = 200;
        var second = await endpoint.NextAsync();
        Assert.Equal(first.Body, second.Body);

        endpoint.Status = 404;
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "refused");
        await endpoint.NextAsync();
        endpoint.Status = 200;
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(2.5)));
    }

    [Fact]
    public async Task DeleteTopic_EndsItsSubscriptions_InTheAccountsList()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "short-lived");
        await using var endpoint = new HttpSubscriber();
        var subscription = await SnsFixture.SubscribeConfirmedAsync(fixture.Root, topic, endpoint);
        static IEnumerable<string?> Arns(JsonElement list) => list.GetProperty("Subscriptions").EnumerateArray().Select(s => s.GetProperty("SubscriptionArn").GetString());
        Assert.Contains(subscription, Arns(await fixture.Root.RunAsync("sns", "list-subscriptions")));

        await fixture.Root.RunAsync("sns", "delete-topic", "--topic-arn", topic);
        Assert.DoesNotContain(subscription, Arns(await fixture.Root.RunAsync("sns", "list-subscriptions")));
        Assert.DoesNotContain(topic, (await fixture.Root.RunAsync("sns", "list-topics")).GetProperty("Topics").EnumerateArray().Select(t => t.GetProperty("TopicArn").GetString()));
        Assert.Contains("NotFound", await fixture.Root.FailAsync("sns", "publish", "--topic-arn", topic, "--message", "to no one"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsubscribeUrl_FollowedUnsigned_EndsTheSubscription()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "leaving");
        await using var endpoint = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(fixture.Root, topic, endpoint);
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "bye");
        var message = JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement;

        using (var http = new HttpClient())
        {
            var answer = await http.GetAsync(message.GetProperty("UnsubscribeURL").GetString());
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal("UnsubscribeConfirmation", (await endpoint.NextAsync()).Headers["x-amz-sns-message-type"]);
        Assert.Equal(0, (await fixture.Root.RunAsync("sns", "list-subscriptions-by-topic", "--topic-arn", topic)).GetProperty("Subscriptions").GetArrayLength());
        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "unheard");
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task SubscribeUrl_WithAWrongToken_IsRefused_AndNothingIsConfirmed()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "guessed");
        await using var endpoint = new HttpSubscriber();
        await fixture.Root.RunAsync("sns", "subscribe", "--topic-arn", topic, "--protocol", "http", "--notification-endpoint", endpoint.Url);
        var url = JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement.GetProperty("SubscribeURL").GetString()!;
        var forged = url[..(url.IndexOf("Token=", StringComparison.Ordinal) + 6)] + new string('0', 128);

        using var http = new HttpClient();
        var answer = await http.GetAsync(forged);

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Contains("<Code>InvalidParameter</Code>", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PendingConfirmation", (await fixture.Root.RunAsync("sns", "list-subscriptions-by-topic", "--topic-arn", topic)).GetProperty("Subscriptions")[0].GetProperty("SubscriptionArn").GetString());
    }

    [Fact]
    public async Task EmailSubscription_ConfirmationAndNotification_GoToTheOutbox()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "mailed");
        var outbox = Path.Combine(fixture.Server.DataDirectory, "outbox");
        var before = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Length : 0;
        await fixture.Root.RunAsync("sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint", "ops@example.com");

        var confirmation = await WaitForMailAsync(outbox, before + 1);
        Assert.Contains("To: ops@example.com", confirmation, StringComparison.Ordinal);
        var link = confirmation[confirmation.IndexOf("http://", StringComparison.Ordinal)..].Split('\n')[0].Trim();
        Assert.Contains("Action=ConfirmSubscription", link, StringComparison.Ordinal);
        using (var http = new HttpClient())
        {
            Assert.True((await http.GetAsync(link)).IsSuccessStatusCode);
        }

        await fixture.Root.RunAsync("sns", "publish", "--topic-arn", topic, "--subject", "Budget alert", "--message", "Spend is over 80%");
        var mail = await WaitForMailAsync(outbox, before + 2);
        Assert.Contains("Subject: Budget alert", mail, StringComparison.Ordinal);
        Assert.Contains("Spend is over 80%", mail, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForMailAsync(string outbox, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.eml") is { } files && files.Length >= count)
            {
                return string.Join("\n=====\n", await Task.WhenAll(files.Select(f => File.ReadAllTextAsync(f))));
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No mail reached " + outbox);
    }
}

public sealed class SnsDeliveryTestsOnSqlite(SnsFixture fixture) : SnsDeliveryTests(fixture), IClassFixture<SnsFixture>;

public sealed class SnsDeliveryTestsOnPostgres(SnsFixtureOnPostgres fixture) : SnsDeliveryTests(fixture), IClassFixture<SnsFixtureOnPostgres>;
