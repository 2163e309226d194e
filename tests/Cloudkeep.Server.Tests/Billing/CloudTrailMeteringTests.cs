using Cloudkeep.Server.Tests.CloudTrail;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Billing;

/// <summary>
/// CloudTrail's paid copies metered as AWS bills them ("The first copy of management events is
/// delivered free of charge. Additional copies of management events are charged at $2.00 per
/// 100,000 events"): with one trail logging nothing is paid; with a second trail selecting the same
/// events each of them is one paid copy, billed to the trail's account in the event's region.
/// </summary>
public sealed class CloudTrailMeteringTests
{
    [Fact]
    public async Task SecondTrail_SameManagementEvents_EachIsOnePaidCopy()
    {
        // Delivery runs only when the test asks, so every pass is known.
        await using var server = await TestServer.StartAsync(trailDeliveryInterval: TimeSpan.Zero, meteringFlushInterval: TimeSpan.Zero);
        var root = Cli.Root(server);
        var fixture = new CloudTrailFixtureFor(server, root);
        await fixture.CreateTrailBucketAsync("paid-copies-a");
        await fixture.CreateTrailBucketAsync("paid-copies-b");
        await root.RunAsync("cloudtrail", "create-trail", "--name", "first", "--s3-bucket-name", "paid-copies-a", "--is-multi-region-trail");
        await root.RunAsync("cloudtrail", "create-trail", "--name", "second", "--s3-bucket-name", "paid-copies-b", "--is-multi-region-trail");
        await root.RunAsync("cloudtrail", "start-logging", "--name", "first");

        var delivery = server.Server.Services.GetRequiredService<TrailDelivery>();
        var meter = server.Server.Services.GetRequiredService<UsageMeter>();
        var usage = new UsageRepository(server.Server.Services.GetRequiredService<IMetadataStore>());
        async Task<double> PaidAsync()
        {
            await meter.FlushAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            return (await usage.QueryAsync(now.AddHours(-2), now.AddHours(2), null, CancellationToken.None)).Where(r => r.UsageType.EndsWith("PaidEventsRecorded", StringComparison.Ordinal)).Sum(r => r.Quantity);
        }

        await root.RunAsync("iam", "create-user", "--user-name", "one-trail");
        await PendingAsync(server, "CreateUser", 1);
        await delivery.DeliverAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(0, await PaidAsync());

        await root.RunAsync("cloudtrail", "start-logging", "--name", "second");
        foreach (var user in new[] { "two-trails-1", "two-trails-2", "two-trails-3" })
        {
            await root.RunAsync("iam", "create-user", "--user-name", user);
        }

        await PendingAsync(server, "CreateUser", 3);
        await delivery.DeliverAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        // The three CreateUser calls, and StartLogging when it is recorded after the second trail's start.
        Assert.InRange(await PaidAsync(), 3, 4);
        var rows = (await usage.QueryAsync(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(2), null, CancellationToken.None)).Where(r => r.UsageType.EndsWith("PaidEventsRecorded", StringComparison.Ordinal)).ToList();
        Assert.All(rows, r => Assert.Equal((server.AccountId, UsageTypes.CloudTrail), (r.AccountId, r.Service)));
        Assert.Contains(rows, r => r.Region == "us-east-1" && r.UsageType == "PaidEventsRecorded");
        Assert.Equal(0.00002m, PriceList.Embedded().UnitPrice(UsageTypes.CloudTrail, "PaidEventsRecorded"));
    }

    /// <summary>Waits until the recorder has stored <paramref name="count"/> events of that name not yet delivered (recording is asynchronous).</summary>
    private static async Task PendingAsync(TestServer server, string eventName, int count)
    {
        var repository = server.Server.Services.GetRequiredService<CloudTrailContext>().Repository;
        var until = DateTimeOffset.UtcNow.AddSeconds(20);
        while ((await repository.PendingEventsAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10_000, CancellationToken.None)).Events.Count(e => e.EventName == eventName) < count)
        {
            Assert.True(DateTimeOffset.UtcNow < until, $"{count} {eventName} events were not recorded");
            await Task.Delay(100);
        }
    }
}
