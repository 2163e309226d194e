using System.Globalization;
using Cloudkeep.Server.Tests.Route53;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Billing;

/// <summary>
/// Route 53's usage metered as AWS bills it: DNS queries a hosted zone answers (NXDOMAIN included,
/// a name in no zone refused and free) counted for the zone's owner, and hosted zone-months measured
/// by the hourly roll-up, both under REGION "global"; priced by the list and shown by Cost Explorer.
/// </summary>
public sealed class Route53MeteringTests
{
    [Fact]
    public async Task DnsQueriesAndHostedZones_MeteredForTheZoneOwner_PricedInCostExplorer()
    {
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock, dns: true, meteringFlushInterval: TimeSpan.Zero);
        var root = Cli.Root(server);
        var id = await Route53Fixture.CreateZoneAsync(root, "metered.dns.test");
        await Route53Fixture.ChangeAsync(root, id, Route53Fixture.Batch("CREATE", "www.metered.dns.test", "A", 60, "192.0.2.7"));
        await Route53Fixture.CreateZoneAsync(root, "second.dns.test");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("NOERROR", (await Dig.QueryAsync(server.DnsPort, "www.metered.dns.test", "A")).Status);
        }

        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(server.DnsPort, "missing.metered.dns.test", "A")).Status);
        Assert.Equal("REFUSED", (await Dig.QueryAsync(server.DnsPort, "www.elsewhere.test", "A")).Status);
        await server.Server.Services.GetRequiredService<UsageMeter>().FlushAsync(CancellationToken.None);

        // Two zones for the two hours before this one.
        var now = clock.GetUtcNow();
        var settings = server.Server.Services.GetRequiredService<SettingsRepository>();
        await settings.SetAsync(UsageRollup.NextHourSetting, UsageRollup.HourOf(now).AddHours(-2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        Assert.Equal(2, await server.Server.Services.GetRequiredService<UsageRollup>().RunAsync(now, CancellationToken.None));

        var rows = (await new UsageRepository(server.Server.Services.GetRequiredService<IMetadataStore>()).QueryAsync(now.AddHours(-3), now.AddHours(1), null, CancellationToken.None))
            .Where(r => r.Service == UsageTypes.Route53).ToList();
        Assert.All(rows, r => Assert.Equal((server.AccountId, "global"), (r.AccountId, r.Region)));
        Assert.Equal(4, rows.Where(r => r.UsageType == "DNS-Queries").Sum(r => r.Quantity));
        var zoneHours = rows.Where(r => r.UsageType == "HostedZone").ToList();
        Assert.Equal(2, zoneHours.Count);
        Assert.All(zoneHours, r => Assert.Equal(2.0 / UsageTypes.HoursInMonth(r.Hour), r.Quantity, 12));

        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var costs = await root.RunAsync("ce", "get-cost-and-usage", "--time-period",
            $"Start={day.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},End={day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            "--granularity", "MONTHLY", "--metrics", "UnblendedCost", "--filter", """{"Dimensions": {"Key": "SERVICE", "Values": ["Amazon Route 53"]}}""",
            "--group-by", "Type=DIMENSION,Key=USAGE_TYPE");
        var amounts = costs.GetProperty("ResultsByTime").EnumerateArray().SelectMany(p => p.GetProperty("Groups").EnumerateArray())
            .GroupBy(g => g.GetProperty("Keys")[0].GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(x => decimal.Parse(x.GetProperty("Metrics").GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture)));
        Assert.Equal(4 * 0.0000004m, amounts["DNS-Queries"]);
        Assert.Equal(zoneHours.Sum(r => (decimal)r.Quantity) * 0.5m, amounts["HostedZone"], 9);
    }
}
