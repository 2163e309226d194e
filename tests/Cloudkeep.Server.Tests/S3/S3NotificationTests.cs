using System.Text.Json;
using Cloudkeep.Server.Tests.Sns;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// S3 event notifications to SNS, the seed's antivirus hook: documents uploaded to a submissions
/// bucket reach the scanner's HTTP endpoint through a topic whose policy lets the bucket publish.
/// </summary>
public abstract class S3NotificationTests(SnsFixture fixture)
{
    [Fact]
    public async Task UploadToSubmissionsBucket_ReachesTheAntivirusEndpoint_InS3EventStructure()
    {
        var root = fixture.Root;
        var bucket = "digitalmarketplace-submissions-events";
        await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var topic = await SnsFixture.CreateTopicAsync(root, "antivirus-scan");
        await using var scanner = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(root, topic, scanner);
        var configuration = Configuration(topic, "ObjectCreated", "documents/");

        // Without a topic policy naming S3, the destination cannot be validated.
        var refused = await root.FailAsync("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", configuration);
        Assert.Contains("InvalidArgument", refused, StringComparison.Ordinal);
        Assert.Contains("Unable to validate the following destination configurations", refused, StringComparison.Ordinal);

        await root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value", TopicPolicy(topic, bucket));
        await root.RunAsync("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", configuration);
        var test = JsonDocument.Parse(JsonDocument.Parse((await scanner.NextAsync()).Body).RootElement.GetProperty("Message").GetString()!).RootElement;
        Assert.Equal("s3:TestEvent", test.GetProperty("Event").GetString());
        Assert.Equal(bucket, test.GetProperty("Bucket").GetString());

        var stored = await root.RunAsync("s3api", "get-bucket-notification-configuration", "--bucket", bucket);
        Assert.Equal(topic, stored.GetProperty("TopicConfigurations")[0].GetProperty("TopicArn").GetString());
        Assert.Equal("s3:ObjectCreated:*", stored.GetProperty("TopicConfigurations")[0].GetProperty("Events")[0].GetString());

        using var file = new Cloudkeep.Testing.TempDirectory();
        var path = Path.Combine(file.Path, "tender.pdf");
        await File.WriteAllTextAsync(path, "%PDF-1.4 a tender");
        var put = await root.RunAsync("s3api", "put-object", "--bucket", bucket, "--key", "documents/supplier 1/tender.pdf", "--body", path);
        await root.RunAsync("s3api", "put-object", "--bucket", bucket, "--key", "elsewhere/ignored.pdf", "--body", path);

        var notification = JsonDocument.Parse((await scanner.NextAsync()).Body).RootElement;
        Assert.Equal("Amazon S3 Notification", notification.GetProperty("Subject").GetString());
        var record = JsonDocument.Parse(notification.GetProperty("Message").GetString()!).RootElement.GetProperty("Records")[0];
        Assert.Equal("2.1", record.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", record.GetProperty("eventSource").GetString());
        Assert.Equal("ObjectCreated:Put", record.GetProperty("eventName").GetString());
        Assert.Equal("eu-west-1", record.GetProperty("awsRegion").GetString());
        var s3 = record.GetProperty("s3");
        Assert.Equal(bucket, s3.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("documents/supplier+1/tender.pdf", s3.GetProperty("object").GetProperty("key").GetString());
        Assert.Equal(17, s3.GetProperty("object").GetProperty("size").GetInt64());
        Assert.Equal(put.GetProperty("ETag").GetString()!.Trim('"'), s3.GetProperty("object").GetProperty("eTag").GetString());
        Assert.Null(await scanner.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task Deletes_AreReportedAsObjectRemoved_AndAnEmptyConfigurationStopsEvents()
    {
        var root = fixture.Root;
        var bucket = "digitalmarketplace-removed-events";
        await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var topic = await SnsFixture.CreateTopicAsync(root, "removed-events");
        await using var endpoint = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(root, topic, endpoint);
        await root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value", TopicPolicy(topic, bucket));
        await root.RunAsync("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", Configuration(topic, "ObjectRemoved", null));
        await endpoint.NextAsync();

        using var file = new Cloudkeep.Testing.TempDirectory();
        var path = Path.Combine(file.Path, "a.txt");
        await File.WriteAllTextAsync(path, "a");
        await root.RunAsync("s3api", "put-object", "--bucket", bucket, "--key", "a.txt", "--body", path);
        await root.RunAsync("s3api", "delete-object", "--bucket", bucket, "--key", "a.txt");
        var record = JsonDocument.Parse(JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement.GetProperty("Message").GetString()!).RootElement.GetProperty("Records")[0];
        Assert.Equal("ObjectRemoved:Delete", record.GetProperty("eventName").GetString());

        await root.RunAsync("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", "{}");
        await root.RunAsync("s3api", "put-object", "--bucket", bucket, "--key", "b.txt", "--body", path);
        await root.RunAsync("s3api", "delete-object", "--bucket", bucket, "--key", "b.txt");
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.False(HasTopics(await root.RunAsync("s3api", "get-bucket-notification-configuration", "--bucket", bucket)));
    }

    public static TheoryData<string, string> BadConfigurations => new()
    {
        { """{"TopicConfigurations":[{"TopicArn":"{topic}","Events":["s3:ObjectCreated:Teleported"]}]}""", "InvalidArgument" },
        { """{"TopicConfigurations":[{"TopicArn":"{topic}","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"a"},{"Name":"Prefix","Value":"b"}]}}}]}""", "InvalidArgument" },
        { """{"TopicConfigurations":[{"TopicArn":"{topic}","Events":["s3:ObjectCreated:*"],"Filter":{"Key":{"FilterRules":[{"Name":"middle","Value":"a"}]}}}]}""", "InvalidArgument" },
        { """{"TopicConfigurations":[{"TopicArn":"{topic}","Events":["s3:ObjectCreated:*"]},{"TopicArn":"{topic}","Events":["s3:ObjectCreated:Put"]}]}""", "InvalidArgument" },
        { """{"TopicConfigurations":[{"TopicArn":"arn:aws:sns:eu-west-1:111122223333:no-such-topic","Events":["s3:ObjectCreated:*"]}]}""", "InvalidArgument" },
        { """{"QueueConfigurations":[{"QueueArn":"arn:aws:sqs:eu-west-1:111122223333:q","Events":["s3:ObjectCreated:*"]}]}""", "NotImplemented" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task PutBucketNotificationConfiguration_BadConfiguration_IsRefused_AndNothingChanges(string configuration, string code)
    {
        var root = fixture.Root;
        var bucket = "bad-notification-" + Guid.NewGuid().ToString("N")[..8];
        await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var topic = await SnsFixture.CreateTopicAsync(root, "bad-notification-topic");
        await root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value", TopicPolicy(topic, bucket));

        var error = await root.FailAsync("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", configuration.Replace("{topic}", topic, StringComparison.Ordinal));

        Assert.Contains($"({code})", error, StringComparison.Ordinal);
        Assert.False(HasTopics(await root.RunAsync("s3api", "get-bucket-notification-configuration", "--bucket", bucket)));
    }

    // The CLI prints nothing for an empty configuration.
    private static bool HasTopics(JsonElement answer) => answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("TopicConfigurations", out _);

    private static string Configuration(string topic, string eventType, string? prefix) =>
        JsonSerializer.Serialize(new
        {
            TopicConfigurations = new[]
            {
                prefix is null
                    ? (object)new { TopicArn = topic, Events = new[] { $"s3:{eventType}:*" } }
                    : new { TopicArn = topic, Events = new[] { $"s3:{eventType}:*" }, Filter = new { Key = new { FilterRules = new[] { new { Name = "prefix", Value = prefix } } } } },
            },
        });

    /// <summary>The topic policy AWS's guide gives for S3 event notifications: the S3 service, for this bucket of this account.</summary>
    private static string TopicPolicy(string topic, string bucket) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"SNS:Publish","Resource":"{{topic}}","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::{{bucket}}"},"StringEquals":{"aws:SourceAccount":"111122223333"} } }]}""";
}

public sealed class S3NotificationTestsOnSqlite(SnsFixture fixture) : S3NotificationTests(fixture), IClassFixture<SnsFixture>;

public sealed class S3NotificationTestsOnPostgres(SnsFixtureOnPostgres fixture) : S3NotificationTests(fixture), IClassFixture<SnsFixtureOnPostgres>;
