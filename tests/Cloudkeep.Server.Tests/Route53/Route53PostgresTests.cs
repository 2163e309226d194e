using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>The Route 53 store's SQL on PostgreSQL as well as SQLite: zones, an atomic batch, tags, a refused batch, deletion, and the DNS listener reading it.</summary>
public sealed class Route53PostgresTests
{
    [Fact]
    public async Task ZonesRecordsTagsAndDns_OnPostgres()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(database: database, dns: true);
        var root = Cli.Root(server);
        var id = await Route53Fixture.CreateZoneAsync(root, "pg.dns.test");
        var change = await root.RunAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", Route53Fixture.Batch("CREATE", "www.pg.dns.test", "A", 60, "192.0.2.40", "192.0.2.41"));
        var changeId = change.GetProperty("ChangeInfo").GetProperty("Id").GetString()!;
        Assert.Contains((await root.RunAsync("route53", "get-change", "--id", changeId)).GetProperty("ChangeInfo").GetProperty("Status").GetString(), new[] { "PENDING", "INSYNC" });
        var zones = (await root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones");
        Assert.Equal(3, zones.EnumerateArray().Single(z => z.GetProperty("Name").GetString() == "pg.dns.test.").GetProperty("ResourceRecordSetCount").GetInt64());
        await root.RunAsync("route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id, "--add-tags", "Key=env,Value=pg");
        await root.RunAsync("route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id, "--add-tags", "Key=env,Value=pg2");
        Assert.Equal("pg2", (await root.RunAsync("route53", "list-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id))
            .GetProperty("ResourceTagSet").GetProperty("Tags")[0].GetProperty("Value").GetString());

        var before = await Route53Fixture.RecordLinesAsync(root, id);
        await root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", Route53Fixture.Batch("CREATE", "www.pg.dns.test", "A", 60, "192.0.2.42"));
        Assert.Equal(before, await Route53Fixture.RecordLinesAsync(root, id));
        Assert.Equal(3, (await root.RunAsync("route53", "get-hosted-zone", "--id", id)).GetProperty("HostedZone").GetProperty("ResourceRecordSetCount").GetInt64());

        var answer = await Dig.QueryAsync(server.DnsPort, "www.pg.dns.test", "A");
        Assert.Equal(["www.pg.dns.test. 60 A 192.0.2.40", "www.pg.dns.test. 60 A 192.0.2.41"], answer.Answer.Order(StringComparer.Ordinal));

        await Route53Fixture.ChangeAsync(root, id, Route53Fixture.Batch("DELETE", "www.pg.dns.test", "A", 60, "192.0.2.40", "192.0.2.41"));
        await root.RunAsync("route53", "delete-hosted-zone", "--id", id);
        Assert.Equal("REFUSED", (await Dig.QueryAsync(server.DnsPort, "www.pg.dns.test", "A")).Status);
    }
}
