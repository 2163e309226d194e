namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// Bad input to every implemented operation, sent raw: each answers AWS's code and HTTP status in
/// Route 53's ErrorResponse document, and the zone is exactly as it was afterwards.
/// </summary>
public sealed class Route53BadInputTests(Route53Fixture fixture) : IClassFixture<Route53Fixture>
{
    private const string Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    public static TheoryData<string, string, string, string?, int, string> Cases => new()
    {
        // operation, method, path ({zone} is a real zone), body, expected code and status
        { "CreateHostedZone", "POST", "/2013-04-01/hostedzone", $"<CreateHostedZoneRequest xmlns=\"{Ns}\"><Name>x.bad.test</Name></CreateHostedZoneRequest>", 400, "InvalidInput" },
        { "CreateHostedZone", "POST", "/2013-04-01/hostedzone", "<CreateHostedZoneRequest><Name>", 400, "InvalidInput" },
        { "CreateHostedZone", "POST", "/2013-04-01/hostedzone", $"<WrongRoot xmlns=\"{Ns}\"/>", 400, "InvalidInput" },
        { "CreateHostedZone", "POST", "/2013-04-01/hostedzone", $"<CreateHostedZoneRequest xmlns=\"{Ns}\"><Name>-..bad</Name><CallerReference>r</CallerReference></CreateHostedZoneRequest>", 400, "InvalidDomainName" },
        { "CreateHostedZone", "POST", "/2013-04-01/hostedzone", $"<CreateHostedZoneRequest xmlns=\"{Ns}\"><Name>x.bad.test</Name><CallerReference>{new string('r', 129)}</CallerReference></CreateHostedZoneRequest>", 400, "InvalidInput" },
        { "GetHostedZone", "GET", "/2013-04-01/hostedzone/ZNOSUCHZONE", null, 404, "NoSuchHostedZone" },
        { "GetHostedZone", "GET", "/2013-04-01/hostedzone/" + new string('Z', 33), null, 400, "InvalidInput" },
        { "DeleteHostedZone", "DELETE", "/2013-04-01/hostedzone/ZNOSUCHZONE", null, 404, "NoSuchHostedZone" },
        { "DeleteHostedZone", "DELETE", "/2013-04-01/hostedzone/{zone}", null, 400, "HostedZoneNotEmpty" },
        { "ListHostedZones", "GET", "/2013-04-01/hostedzone?maxitems=abc", null, 400, "InvalidInput" },
        { "ListHostedZones", "GET", "/2013-04-01/hostedzone?marker=ZNOSUCHZONE", null, 400, "InvalidInput" },
        { "ListHostedZonesByName", "GET", "/2013-04-01/hostedzonesbyname?hostedzoneid=Z1", null, 400, "InvalidInput" },
        { "ListHostedZonesByName", "GET", "/2013-04-01/hostedzonesbyname?dnsname=a..b", null, 400, "InvalidDomainName" },
        { "ListResourceRecordSets", "GET", "/2013-04-01/hostedzone/{zone}/rrset?type=A", null, 400, "InvalidInput" },
        { "ListResourceRecordSets", "GET", "/2013-04-01/hostedzone/{zone}/rrset?name=x&type=BOGUS", null, 400, "InvalidInput" },
        { "ListResourceRecordSets", "GET", "/2013-04-01/hostedzone/ZNOSUCHZONE/rrset", null, 404, "NoSuchHostedZone" },
        { "ChangeResourceRecordSets", "POST", "/2013-04-01/hostedzone/{zone}/rrset/", $"<ChangeResourceRecordSetsRequest xmlns=\"{Ns}\"><ChangeBatch><Changes></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>", 400, "InvalidInput" },
        { "ChangeResourceRecordSets", "POST", "/2013-04-01/hostedzone/{zone}/rrset/", $"<ChangeResourceRecordSetsRequest xmlns=\"{Ns}\"><ChangeBatch><Changes><Change><Action>RENAME</Action><ResourceRecordSet><Name>a.bad.test</Name><Type>A</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>", 400, "InvalidInput" },
        { "ChangeResourceRecordSets", "POST", "/2013-04-01/hostedzone/{zone}/rrset/", $"<ChangeResourceRecordSetsRequest xmlns=\"{Ns}\"><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.bad.test</Name><Type>A</Type><TTL>x</TTL></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>", 400, "InvalidInput" },
        { "ChangeResourceRecordSets", "POST", "/2013-04-01/hostedzone/{zone}/rrset/", $"<ChangeResourceRecordSetsRequest xmlns=\"{Ns}\"><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.bad.test</Name><Type>A</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>999.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>", 400, "InvalidChangeBatch" },
        { "ChangeResourceRecordSets", "POST", "/2013-04-01/hostedzone/{zone}/rrset/", $"<ChangeResourceRecordSetsRequest xmlns=\"{Ns}\"><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.bad.test</Name><Type>A</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>", 400, "InvalidChangeBatch" },
        { "GetChange", "GET", "/2013-04-01/change/CNOSUCHCHANGE", null, 404, "NoSuchChange" },
        { "ChangeTagsForResource", "POST", "/2013-04-01/tags/hostedzone/{zone}", $"<ChangeTagsForResourceRequest xmlns=\"{Ns}\"><AddTags><Tag><Key>aws:reserved</Key><Value>v</Value></Tag></AddTags></ChangeTagsForResourceRequest>", 400, "InvalidInput" },
        { "ChangeTagsForResource", "POST", "/2013-04-01/tags/bucket/{zone}", $"<ChangeTagsForResourceRequest xmlns=\"{Ns}\"/>", 400, "InvalidInput" },
        { "ListTagsForResource", "GET", "/2013-04-01/tags/hostedzone/ZNOSUCHZONE", null, 404, "NoSuchHostedZone" },
        { "(not implemented)", "GET", "/2013-04-01/healthcheck", null, 501, "NotImplemented" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_AnswersAwsCodeAndStatus_AndChangesNothing(string operation, string method, string target, string? body, int status, string code)
    {
        var zone = await Route53Fixture.CreateZoneAsync(fixture.Root, "bad.test");
        await Route53Fixture.ChangeAsync(fixture.Root, zone, Route53Fixture.Batch("CREATE", "keep.bad.test", "A", 60, "192.0.2.1"));
        var before = await Route53Fixture.RecordLinesAsync(fixture.Root, zone);
        var zonesBefore = (await fixture.Root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").GetArrayLength();

        using var raw = new Route53Raw(fixture.Server);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = (question < 0 ? target : target[..question]).Replace("{zone}", zone, StringComparison.Ordinal);
        var query = question < 0 ? [] : target[(question + 1)..].Split('&').Select(p => p.Split('=')).Select(p => (p[0], p[1])).ToArray();
        var answer = await raw.SendAsync(method, path, body, query);

        Assert.True(answer.Status == status && answer.Code == code, $"{operation}: {answer.Status} {answer.Text}");
        Assert.Equal("ErrorResponse", answer.Document?.Root?.Name.LocalName);
        Assert.Equal(before, await Route53Fixture.RecordLinesAsync(fixture.Root, zone));
        Assert.Equal(zonesBefore, (await fixture.Root.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").GetArrayLength());
    }
}
