using System.Text.Json;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>Bad input to SNS through the AWS CLI: each answers SNS's code, and the account's topics and subscriptions are as they were.</summary>
public sealed class SnsBadInputTests(SnsFixture fixture) : IClassFixture<SnsFixture>
{
    public static TheoryData<string, string[]> Cases => new()
    {
        // expected code; CLI arguments ({topic} is a real topic)
        { "InvalidParameter", ["sns", "create-topic", "--name", "has space"] },
        { "InvalidParameter", ["sns", "create-topic", "--name", new string('a', 257)] },
        { "InvalidParameter", ["sns", "create-topic", "--name", "bad-attr", "--attributes", "NoSuchAttribute=1"] },
        { "InvalidParameter", ["sns", "create-topic", "--name", "bad-policy", "--attributes", "{\"Policy\":\"{\\\"Statement\\\":5}\"}"] },
        { "InvalidParameter", ["sns", "create-topic", "--name", "bad-tag", "--tags", "Key=aws:x,Value=1"] },
        { "NotImplemented", ["sns", "create-topic", "--name", "queue.fifo", "--attributes", "FifoTopic=true"] },
        { "InvalidParameter", ["sns", "get-topic-attributes", "--topic-arn", "not-an-arn"] },
        { "InvalidParameter", ["sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:ap-south-1:111122223333:elsewhere"] },
        { "NotFound", ["sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:eu-west-1:111122223333:nosuchtopic"] },
        { "InvalidParameter", ["sns", "set-topic-attributes", "--topic-arn", "{topic}", "--attribute-name", "Owner", "--attribute-value", "x"] },
        { "InvalidParameter", ["sns", "set-topic-attributes", "--topic-arn", "{topic}", "--attribute-name", "SignatureVersion", "--attribute-value", "3"] },
        { "InvalidParameter", ["sns", "set-topic-attributes", "--topic-arn", "{topic}", "--attribute-name", "DeliveryPolicy", "--attribute-value", "{nope"] },
        { "InvalidParameter", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "carrier-pigeon", "--notification-endpoint", "x"] },
        { "InvalidParameter", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "https", "--notification-endpoint", "http://example.com/"] },
        { "InvalidParameter", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "email", "--notification-endpoint", "not an address"] },
        { "InvalidParameter", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "http", "--notification-endpoint", "http://127.0.0.1:9/", "--attributes", "{\"FilterPolicy\":\"[1]\"}"] },
        { "InvalidParameter", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "http", "--notification-endpoint", "http://127.0.0.1:9/", "--attributes", "{\"FilterPolicy\":\"{\\\"a\\\":[{\\\"nonsense\\\":1}]}\"}"] },
        { "NotImplemented", ["sns", "subscribe", "--topic-arn", "{topic}", "--protocol", "sqs", "--notification-endpoint", "arn:aws:sqs:us-east-1:111122223333:q"] },
        { "NotFound", ["sns", "subscribe", "--topic-arn", "arn:aws:sns:eu-west-1:111122223333:nosuchtopic", "--protocol", "http", "--notification-endpoint", "http://127.0.0.1:9/"] },
        { "InvalidParameter", ["sns", "confirm-subscription", "--topic-arn", "{topic}", "--token", "0000"] },
        { "InvalidParameter", ["sns", "unsubscribe", "--subscription-arn", "arn:aws:sns:eu-west-1:111122223333:t"] },
        { "NotFound", ["sns", "unsubscribe", "--subscription-arn", "arn:aws:sns:eu-west-1:111122223333:t:00000000-0000-0000-0000-000000000000"] },
        { "InvalidParameter", ["sns", "set-subscription-attributes", "--subscription-arn", "nope", "--attribute-name", "RawMessageDelivery", "--attribute-value", "true"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", ""] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "m", "--subject", "two\nlines"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "{}", "--message-structure", "json"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "m", "--message-structure", "xml"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "m", "--message-group-id", "g"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "m", "--message-attributes", "{\"a\":{\"DataType\":\"Date\",\"StringValue\":\"x\"}}"] },
        { "ParameterValueInvalid", ["sns", "publish", "--topic-arn", "{topic}", "--message", "m", "--message-attributes", "{\"a\":{\"DataType\":\"Number\",\"StringValue\":\"ten\"}}"] },
        { "InvalidParameter", ["sns", "publish", "--topic-arn", "{topic}", "--message", "{big}"] },
        { "NotImplemented", ["sns", "publish", "--phone-number", "+15555550100", "--message", "m"] },
        { "NotFound", ["sns", "publish", "--topic-arn", "arn:aws:sns:eu-west-1:111122223333:nosuchtopic", "--message", "m"] },
        { "EmptyBatchRequest", ["sns", "publish-batch", "--topic-arn", "{topic}", "--publish-batch-request-entries", "[]"] },
        { "BatchEntryIdsNotDistinct", ["sns", "publish-batch", "--topic-arn", "{topic}", "--publish-batch-request-entries", "Id=a,Message=m", "Id=a,Message=n"] },
        { "InvalidBatchEntryId", ["sns", "publish-batch", "--topic-arn", "{topic}", "--publish-batch-request-entries", "Id=a b,Message=m"] },
        { "TooManyEntriesInBatchRequest", ["sns", "publish-batch", "--topic-arn", "{topic}", "--publish-batch-request-entries", .. Enumerable.Range(0, 11).Select(i => $"Id=e{i},Message=m")] },
        { "ResourceNotFound", ["sns", "tag-resource", "--resource-arn", "arn:aws:sns:eu-west-1:111122223333:nosuchtopic", "--tags", "Key=a,Value=b"] },
        { "NotImplemented", ["sns", "list-platform-applications"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_AnswersSnsCode_AndChangesNothing(string code, string[] arguments)
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "bad-input-topic");
        var before = await SnapshotAsync(topic);

        // A message over the limit is too long for a command line: the CLI reads it from a file.
        using var big = new Cloudkeep.Testing.TempDirectory();
        var bigFile = Path.Combine(big.Path, "message.txt");
        await File.WriteAllTextAsync(bigFile, new string('x', 262_145));

        var error = await fixture.Root.FailAsync([.. arguments.Select(a => a.Replace("{topic}", topic, StringComparison.Ordinal).Replace("{big}", "file://" + bigFile, StringComparison.Ordinal))]);

        Assert.Contains($"({code})", error, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(topic));
    }

    private async Task<string> SnapshotAsync(string topic)
    {
        var topics = await fixture.Root.RunAsync("sns", "list-topics");
        var subscriptions = await fixture.Root.RunAsync("sns", "list-subscriptions");
        var attributes = (await fixture.Root.RunAsync("sns", "get-topic-attributes", "--topic-arn", topic)).GetProperty("Attributes");
        var tags = await fixture.Root.RunAsync("sns", "list-tags-for-resource", "--resource-arn", topic);
        return JsonSerializer.Serialize(new object[] { topics, subscriptions, attributes, tags });
    }
}
