using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>What SNS acknowledged is delivered even when the server stops first; a batch publishes each valid entry.</summary>
public sealed class SnsDurabilityTests
{
    [Fact]
    public async Task PublishedWhileDeliveryIsOff_IsDeliveredByTheNextServerOnTheSameData()
    {
        using var data = new TempDirectory();
        await using var endpoint = new HttpSubscriber();
        string topic;
        await using (var first = await TestServer.StartAsync(dataDirectory: data.Path))
        {
            var root = Cli.Root(first);
            topic = await SnsFixture.CreateTopicAsync(root, "durable");
            await SnsFixture.SubscribeConfirmedAsync(root, topic, endpoint);
        }

        await using (var quiet = await TestServer.StartAsync(dataDirectory: data.Path, snsDeliveryInterval: TimeSpan.Zero))
        {
            var root = Cli.Root(quiet);
            await root.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "kept 1");
            await root.RunAsync("sns", "publish-batch", "--topic-arn", topic, "--publish-batch-request-entries", "Id=a,Message=kept 2", "Id=b,Message=kept 3");
            Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1)));
        }

        await using var second = await TestServer.StartAsync(dataDirectory: data.Path);
        var messages = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement.GetProperty("Message").GetString()!);
        }

        Assert.Equal(["kept 1", "kept 2", "kept 3"], messages.Order());
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task PublishBatch_InvalidEntry_FailsAlone()
    {
        await using var server = await TestServer.StartAsync();
        var root = Cli.Root(server);
        var topic = await SnsFixture.CreateTopicAsync(root, "batch");
        await using var endpoint = new HttpSubscriber();
        await SnsFixture.SubscribeConfirmedAsync(root, topic, endpoint);

        var answer = await root.RunAsync("sns", "publish-batch", "--topic-arn", topic, "--publish-batch-request-entries",
            "Id=ok,Message=fine", "Id=bad,Message=m,MessageStructure=json");

        Assert.Equal("ok", answer.GetProperty("Successful")[0].GetProperty("Id").GetString());
        var failed = answer.GetProperty("Failed")[0];
        Assert.Equal("bad", failed.GetProperty("Id").GetString());
        Assert.Equal("InvalidParameter", failed.GetProperty("Code").GetString());
        Assert.True(failed.GetProperty("SenderFault").GetBoolean());
        Assert.Equal("fine", JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement.GetProperty("Message").GetString());
    }
}
