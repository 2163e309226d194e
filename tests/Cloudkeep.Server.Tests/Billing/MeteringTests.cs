using System.Text;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Billing;

/// <summary>The meter's counters, the shipped price list and what survives a restart.</summary>
public sealed class MeteringTests
{
    [Fact]
    public void PriceList_Shipped_PricesWithSourcesAndLeavesTheRestUnpriced()
    {
        var prices = PriceList.Embedded();
        Assert.Equal("2026-12-07", prices.Retrieved);
        Assert.NotEmpty(prices.Source);
        Assert.Equal(["eu-west-1", "eu-west-2", "us-east-1"], prices.Prices.Select(p => p.Region).Distinct().Order().ToList());
        Assert.All(prices.Prices.Where(p => p.Usd is not null), p => Assert.False(string.IsNullOrEmpty(p.Description)));
        Assert.All(prices.Prices.Where(p => p.Usd is null), p => Assert.StartsWith("unpriced", p.Description, StringComparison.Ordinal));

        // Every usage type the request path counts has a row in each region, priced or not.
        foreach (var usage in Enum.GetValues<MeteredUsage>())
        {
            var (service, usageType, _) = MeteredUsageNames.Of(usage);
            foreach (var region in new[] { "us-east-1", "eu-west-1", "eu-west-2" })
            {
                Assert.True(prices.Find(service, UsageTypes.For(region, usageType)) is not null, $"{service} {region} {usageType} is not in the price list");
            }
        }

        Assert.Equal(0.023m, prices.UnitPrice(UsageTypes.S3, "TimedStorage-ByteHrs"));
        Assert.Equal(0.024m, prices.UnitPrice(UsageTypes.S3, "EUW2-TimedStorage-ByteHrs"));
        Assert.Equal(0m, prices.UnitPrice(UsageTypes.S3, "EU-TimedStorage-ByteHrs"));
        Assert.Equal(1m, prices.UnitPrice(UsageTypes.Kms, "EUW2-KMS-Keys"));
    }

    [Fact]
    public void PriceList_BadFile_ReportsEveryProblem()
    {
        var json = """{"source": "s", "currency": "EUR", "prices": [{"service": "x", "region": "us-east-1", "usageType": "t", "unit": "u", "usd": -1}, {"region": "us-east-1"}, 3]}""";
        var error = Assert.Throws<PriceListException>(() => PriceList.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(error.Problems, p => p.Contains("retrieved", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("currency", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("prices[0].usd", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("prices[1]", StringComparison.Ordinal) && p.Contains("service", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("prices[2]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsageMeter_CountsWhileFlushing_LosesNothingAndCountsNothingTwice()
    {
        using var directory = new TempDirectory();
        await using var store = MetadataStoreFactory.Create(null, directory.Path);
        await store.MigrateAsync(TimeProvider.System, CancellationToken.None);
        var repository = new UsageRepository(store);
        var meter = new UsageMeter(repository, TimeProvider.System);
        using var counting = new CancellationTokenSource();
        var flushes = Task.Run(async () =>
        {
            while (!counting.IsCancellationRequested)
            {
                await meter.FlushAsync(CancellationToken.None);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                meter.Count("111122223333", t % 2 == 0 ? "eu-west-1" : "us-east-1", MeteredUsage.S3Tier2);
            }
        })));
        await counting.CancelAsync();
        await flushes;
        await meter.FlushAsync(CancellationToken.None);

        var rows = await repository.QueryAsync(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(1), null, CancellationToken.None);
        Assert.Equal(200_000, rows.Sum(r => r.Quantity));
        Assert.Equal(100_000, rows.Where(r => r.UsageType == "EU-Requests-Tier2").Sum(r => r.Quantity));
    }

    [Fact]
    public async Task Metering_CleanStop_WritesWhatWasCountedBeforeTheFlushInterval()
    {
        using var directory = new TempDirectory();
        await using (var server = await TestServer.StartAsync(dataDirectory: directory.Path, meteringFlushInterval: TimeSpan.FromHours(1)))
        {
            var root = Cli.Root(server);
            await root.RunAsync("s3api", "create-bucket", "--bucket", "kept", "--region", "us-east-1");
            await root.RunAsync("s3api", "list-objects-v2", "--bucket", "kept", "--region", "us-east-1");
            await root.RunAsync("s3api", "head-bucket", "--bucket", "kept", "--region", "us-east-1");
        }

        await using var restarted = await TestServer.StartAsync(dataDirectory: directory.Path);
        var usage = new UsageRepository(restarted.Server.Services.GetRequiredService<IMetadataStore>());
        var rows = await usage.QueryAsync(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(1), null, CancellationToken.None);
        Assert.Equal(2, rows.Where(r => r.Service == UsageTypes.S3 && r.UsageType == "Requests-Tier1").Sum(r => r.Quantity));
        Assert.Equal(1, rows.Where(r => r.Service == UsageTypes.S3 && r.UsageType == "Requests-Tier2").Sum(r => r.Quantity));
    }
}
