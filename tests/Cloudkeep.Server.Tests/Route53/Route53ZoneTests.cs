using System.Text.Json;
using System.Xml.Linq;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>Hosted zones through the AWS CLI: create (public, private), get, list, list by name, delete, and their errors.</summary>
public sealed class Route53ZoneTests(Route53Fixture fixture) : IClassFixture<Route53Fixture>
{
    private readonly Cli _root = fixture.Root;


    [Fact]
    public async Task CreateHostedZone_Public_AnswersZoneDelegationSetAndApexRecords()
    {
        var created = await _root.RunAsync("route53", "create-hosted-zone", "--name", "Create.Example.COM", "--caller-reference", "create-1", "--hosted-zone-config", "Comment=apex zone");
        var zone = created.GetProperty("HostedZone");
        Assert.Matches("^/hostedzone/Z[A-Z0-9]{20}$", zone.GetProperty("Id").GetString());
        Assert.Equal("create.example.com.", zone.GetProperty("Name").GetString());
        Assert.Equal("create-1", zone.GetProperty("CallerReference").GetString());
        Assert.Equal("apex zone", zone.GetProperty("Config").GetProperty("Comment").GetString());
        Assert.False(zone.GetProperty("Config").GetProperty("PrivateZone").GetBoolean());
        Assert.Equal(2, zone.GetProperty("ResourceRecordSetCount").GetInt64());
        Assert.Equal(4, created.GetProperty("DelegationSet").GetProperty("NameServers").GetArrayLength());
        Assert.Matches("^/change/C[A-Z0-9]{20}$", created.GetProperty("ChangeInfo").GetProperty("Id").GetString());
        Assert.EndsWith("/2013-04-01" + zone.GetProperty("Id").GetString(), created.GetProperty("Location").GetString(), StringComparison.Ordinal);

        var id = zone.GetProperty("Id").GetString()!["/hostedzone/".Length..];
        var lines = await Route53Fixture.RecordLinesAsync(_root, id);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("create.example.com. NS 172800 ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("create.example.com. SOA 900 ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateHostedZone_SameCallerReference_HostedZoneAlreadyExistsAndNoSecondZone()
    {
        await _root.RunAsync("route53", "create-hosted-zone", "--name", "again.example.com", "--caller-reference", "again-1");
        var error = await _root.FailAsync("route53", "create-hosted-zone", "--name", "again.example.com", "--caller-reference", "again-1");
        Assert.Contains("(HostedZoneAlreadyExists)", error, StringComparison.Ordinal);
        var byName = await _root.RunAsync("route53", "list-hosted-zones-by-name", "--dns-name", "again.example.com");
        Assert.Single(byName.GetProperty("HostedZones").EnumerateArray(), z => z.GetProperty("Name").GetString() == "again.example.com.");
    }

    [Fact]
    public async Task CreateHostedZone_WithVpc_IsPrivateAndGetAnswersItsVpc()
    {
        var created = await _root.RunAsync("route53", "create-hosted-zone", "--name", "internal.example", "--caller-reference", "private-1",
            "--vpc", "VPCRegion=eu-west-1,VPCId=vpc-0123456789abcdef0");
        Assert.True(created.GetProperty("HostedZone").GetProperty("Config").GetProperty("PrivateZone").GetBoolean());
        Assert.Equal("vpc-0123456789abcdef0", created.GetProperty("VPC").GetProperty("VPCId").GetString());
        var got = await _root.RunAsync("route53", "get-hosted-zone", "--id", created.GetProperty("HostedZone").GetProperty("Id").GetString()!);
        Assert.Equal("eu-west-1", got.GetProperty("VPCs")[0].GetProperty("VPCRegion").GetString());
        Assert.False(got.TryGetProperty("DelegationSet", out _));
    }

    [Theory]
    [InlineData("InvalidVPCId", "--name", "bad-vpc.example", "--vpc", "VPCRegion=eu-west-1,VPCId=subnet-1")]
    [InlineData("InvalidInput", "--name", "no-vpc.example", "--hosted-zone-config", "PrivateZone=true")]
    [InlineData("InvalidDomainName", "--name", "a..b.example")]
    [InlineData("NoSuchDelegationSet", "--name", "delegated.example", "--delegation-set-id", "N0000000000000")]
    public async Task CreateHostedZone_BadRequest_AnswersAwsCodeAndCreatesNothing(string code, params string[] arguments)
    {
        var before = (await _root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").GetArrayLength();
        var error = await _root.FailAsync(["route53", "create-hosted-zone", "--caller-reference", Guid.NewGuid().ToString("N"), .. arguments]);
        Assert.Contains($"({code})", error, StringComparison.Ordinal);
        Assert.Equal(before, (await _root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").GetArrayLength());
    }

    [Fact]
    public async Task GetHostedZone_BothIdForms_SameZone()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "get.example.com");
        var bare = await _root.RunAsync("route53", "get-hosted-zone", "--id", id);
        var prefixed = await _root.RunAsync("route53", "get-hosted-zone", "--id", "/hostedzone/" + id);
        Assert.Equal(bare.GetProperty("HostedZone").GetProperty("Name").GetString(), prefixed.GetProperty("HostedZone").GetProperty("Name").GetString());
        Assert.Equal(4, bare.GetProperty("DelegationSet").GetProperty("NameServers").GetArrayLength());
    }

    [Fact]
    public async Task GetHostedZone_Unknown_NoSuchHostedZone()
    {
        var error = await _root.FailAsync("route53", "get-hosted-zone", "--id", "Z00000000000000000000");
        Assert.Contains("(NoSuchHostedZone)", error, StringComparison.Ordinal);
        Assert.Contains("No hosted zone found with ID: Z00000000000000000000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListHostedZones_MaxItems_PagesThroughEveryZoneOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            await Route53Fixture.CreateZoneAsync(_root, $"page{i}.example.net");
        }

        var all = (await _root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").EnumerateArray().Select(z => z.GetProperty("Id").GetString()).ToList();
        // One zone per request: each page starts at the last one's NextMarker.
        var seen = (await _root.RunAsync("route53", "list-hosted-zones", "--page-size", "1")).GetProperty("HostedZones").EnumerateArray().Select(z => z.GetProperty("Id").GetString()).ToList();
        using var raw = new Route53Raw(fixture.Server);
        var first = await raw.SendAsync("GET", "/2013-04-01/hostedzone", null, ("maxitems", "2"));
        XNamespace ns = "https://route53.amazonaws.com/doc/2013-04-01/";
        Assert.Equal("true", first.Document!.Root!.Element(ns + "IsTruncated")!.Value);
        Assert.Equal(all[2], "/hostedzone/" + first.Document.Root.Element(ns + "NextMarker")!.Value);
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task ListHostedZonesByName_OrdersByReversedLabelsAndStartsAtDnsName()
    {
        var names = new[] { "b.byname.test", "byname.test", "a.byname.test", "z.a.byname.test" };
        foreach (var name in names)
        {
            await Route53Fixture.CreateZoneAsync(_root, name);
        }

        var listed = await _root.RunAsync("route53", "list-hosted-zones-by-name", "--dns-name", "byname.test");
        var order = listed.GetProperty("HostedZones").EnumerateArray().Select(z => z.GetProperty("Name").GetString()).Where(n => n!.EndsWith("byname.test.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["byname.test.", "a.byname.test.", "z.a.byname.test.", "b.byname.test."], order);
        Assert.Equal("byname.test", listed.GetProperty("DNSName").GetString());

        var page = await _root.RunAsync("route53", "list-hosted-zones-by-name", "--dns-name", "a.byname.test", "--max-items", "1");
        Assert.Equal("a.byname.test.", page.GetProperty("HostedZones")[0].GetProperty("Name").GetString());
        Assert.True(page.GetProperty("IsTruncated").GetBoolean());
        Assert.Equal("z.a.byname.test.", page.GetProperty("NextDNSName").GetString());
    }

    [Fact]
    public async Task ListHostedZonesByName_ZoneIdWithoutName_InvalidInput()
    {
        var error = await _root.FailAsync("route53", "list-hosted-zones-by-name", "--hosted-zone-id", "Z00000000000000000000");
        Assert.Contains("(InvalidInput)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteHostedZone_WithRecords_HostedZoneNotEmptyThenDeletedOnceEmptied()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "delete.example.com");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "www.delete.example.com", "A", 60, "192.0.2.1"));
        var error = await _root.FailAsync("route53", "delete-hosted-zone", "--id", id);
        Assert.Contains("(HostedZoneNotEmpty)", error, StringComparison.Ordinal);
        await _root.RunAsync("route53", "get-hosted-zone", "--id", id);

        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("DELETE", "www.delete.example.com", "A", 60, "192.0.2.1"));
        var deleted = await _root.RunAsync("route53", "delete-hosted-zone", "--id", id);
        Assert.Equal(JsonValueKind.String, deleted.GetProperty("ChangeInfo").GetProperty("Status").ValueKind);
        Assert.Contains("(NoSuchHostedZone)", await _root.FailAsync("route53", "get-hosted-zone", "--id", id), StringComparison.Ordinal);
        Assert.Contains("(NoSuchHostedZone)", await _root.FailAsync("route53", "delete-hosted-zone", "--id", id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_AddReplaceRemove_ListedInKeyOrder()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "tags.example.com");
        await _root.RunAsync("route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id, "--add-tags", "Key=env,Value=dev", "Key=app,Value=dm");
        await _root.RunAsync("route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id, "--add-tags", "Key=env,Value=prod", "--remove-tag-keys", "app");
        var listed = await _root.RunAsync("route53", "list-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", id);
        var tags = listed.GetProperty("ResourceTagSet").GetProperty("Tags").EnumerateArray().Select(t => $"{t.GetProperty("Key").GetString()}={t.GetProperty("Value").GetString()}").ToList();
        Assert.Equal(["env=prod"], tags);
        Assert.Equal(id, listed.GetProperty("ResourceTagSet").GetProperty("ResourceId").GetString());
    }

    [Theory]
    [InlineData("hostedzone", "Z00000000000000000000", "NoSuchHostedZone")]
    [InlineData("healthcheck", "abc", "NoSuchHealthCheck")]
    public async Task ListTagsForResource_Unknown_AwsCode(string type, string id, string code)
    {
        var error = await _root.FailAsync("route53", "list-tags-for-resource", "--resource-type", type, "--resource-id", id);
        Assert.Contains($"({code})", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnimplementedOperation_NotImplemented()
    {
        var error = await _root.FailAsync("route53", "create-health-check", "--caller-reference", "hc", "--health-check-config", "Type=HTTP,FullyQualifiedDomainName=example.com");
        Assert.Contains("(NotImplemented)", error, StringComparison.Ordinal);
    }
}
