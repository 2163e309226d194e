namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// The DNS listener asked with dig, non-recursively, as a resolver asks an authoritative server:
/// answers straight after an API change, apex SOA and NS, NXDOMAIN against NODATA, CNAME chains,
/// wildcards, truncation with TCP fallback, and delegation from the management account's apex zone
/// to a member account's subdomain zone.
/// </summary>
public sealed class Route53DnsTests(Route53Fixture fixture) : IClassFixture<Route53Fixture>
{
    private readonly Cli _root = fixture.Root;
    private readonly int _port = fixture.Server.DnsPort;

    [Fact]
    public async Task Upsert_AnsweredByTheListenerAtOnce()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "now.dns.test");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("UPSERT", "www.now.dns.test", "A", 300, "192.0.2.1"));
        Assert.Equal(["www.now.dns.test. 300 A 192.0.2.1"], (await Dig.QueryAsync(_port, "www.now.dns.test", "A")).Answer);

        // Asked again right after the change: the cached zone must not outlive it.
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("UPSERT", "www.now.dns.test", "A", 300, "192.0.2.2"));
        var answer = await Dig.QueryAsync(_port, "www.now.dns.test", "A");
        Assert.True(answer.Authoritative);
        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(["www.now.dns.test. 300 A 192.0.2.2"], answer.Answer);
    }

    [Fact]
    public async Task Apex_SoaAndNsAnsweredAuthoritatively()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "apex.dns.test");
        var nameServers = (await _root.RunAsync("route53", "get-hosted-zone", "--id", id)).GetProperty("DelegationSet").GetProperty("NameServers")
            .EnumerateArray().Select(n => n.GetString() + ".").Order(StringComparer.Ordinal).ToList();
        var ns = await Dig.QueryAsync(_port, "apex.dns.test", "NS");
        Assert.True(ns.Authoritative);
        Assert.Equal(nameServers, ns.Answer.Select(r => r.Split(' ')[3]).Order(StringComparer.Ordinal).ToList());
        var soa = await Dig.QueryAsync(_port, "apex.dns.test", "SOA");
        Assert.Single(soa.Answer);
        Assert.StartsWith("apex.dns.test. 900 SOA " + nameServers.Single(n => n.EndsWith(".com.", StringComparison.Ordinal)) + " ", soa.Answer[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingName_NxDomain_ButNameWithOtherTypes_NoDataBothWithSoa()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "neg.dns.test");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "a.b.neg.dns.test", "A", 60, "192.0.2.1"));

        var missing = await Dig.QueryAsync(_port, "nope.neg.dns.test", "A");
        Assert.Equal("NXDOMAIN", missing.Status);
        Assert.True(missing.Authoritative);
        Assert.Empty(missing.Answer);
        Assert.StartsWith("neg.dns.test. 900 SOA ", Assert.Single(missing.Authority), StringComparison.Ordinal);

        var otherType = await Dig.QueryAsync(_port, "a.b.neg.dns.test", "TXT");
        Assert.Equal("NOERROR", otherType.Status);
        Assert.Empty(otherType.Answer);
        Assert.StartsWith("neg.dns.test. 900 SOA ", Assert.Single(otherType.Authority), StringComparison.Ordinal);

        // b.neg.dns.test holds nothing itself but has a name below it: it exists (an empty non-terminal).
        Assert.Equal("NOERROR", (await Dig.QueryAsync(_port, "b.neg.dns.test", "A")).Status);
    }

    [Fact]
    public async Task Cname_ChainFollowedInsideTheZone_StopsAtTheZoneEdge()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "chain.dns.test");
        await Route53Fixture.ChangeAsync(_root, id, """
            {"Changes":[
              {"Action":"CREATE","ResourceRecordSet":{"Name":"one.chain.dns.test","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"two.chain.dns.test"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"two.chain.dns.test","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"end.chain.dns.test"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"end.chain.dns.test","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.7"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"out.chain.dns.test","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"www.example.org"}]}}
            ]}
            """);
        Assert.Equal(
            ["one.chain.dns.test. 60 CNAME two.chain.dns.test.", "two.chain.dns.test. 60 CNAME end.chain.dns.test.", "end.chain.dns.test. 60 A 192.0.2.7"],
            (await Dig.QueryAsync(_port, "one.chain.dns.test", "A")).Answer);
        Assert.Equal(["out.chain.dns.test. 60 CNAME www.example.org."], (await Dig.QueryAsync(_port, "out.chain.dns.test", "A")).Answer);
    }

    [Fact]
    public async Task Wildcard_AnswersForMissingNamesUnderIt()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "wild.dns.test");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "*.wild.dns.test", "A", 60, "192.0.2.8"));
        Assert.Equal(["anything.wild.dns.test. 60 A 192.0.2.8"], (await Dig.QueryAsync(_port, "anything.wild.dns.test", "A")).Answer);
    }

    [Fact]
    public async Task LargeAnswer_TruncatedOverUdp_CompleteOverTcp()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "big.dns.test");
        var values = Enumerable.Range(0, 20).Select(i => $"\"{i:00}-{new string('x', 90)}\"").ToArray();
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "txt.big.dns.test", "TXT", 60, values));

        var udp = await Dig.QueryAsync(_port, "txt.big.dns.test", "TXT", "+notcp", "+ignore", "+noedns");
        Assert.True(udp.Truncated);
        Assert.True(udp.Answer.Count < 20);

        // dig's default: on TC it asks again over TCP, as a resolver does.
        var fallback = await Dig.QueryAsync(_port, "txt.big.dns.test", "TXT", "+noedns");
        Assert.Contains("Truncated, retrying in TCP mode", fallback.Raw, StringComparison.Ordinal);
        Assert.Equal(20, fallback.Answer.Count);
        Assert.False(fallback.Truncated);
        Assert.Equal(20, (await Dig.QueryAsync(_port, "txt.big.dns.test", "TXT", "+tcp")).Answer.Count);
    }

    [Fact]
    public async Task Delegation_FromMainApexZoneToMemberAccountSubdomainZone()
    {
        // The management account holds the apex zone; a member account holds preview's zone.
        var apex = await Route53Fixture.CreateZoneAsync(_root, "dm-delegation.test");
        var member = (await _root.RunAsync("organizations", "create-account", "--email", "dns-member@example.invalid", "--account-name", "dns-member"))
            .GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
        // The root may not assume roles; an administrator of the management account does.
        var admin = await _root.CreateUserWithKeyAsync("dns-admin-key");
        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "dns-admin-key", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var credentials = (await admin.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", "--role-session-name", "dns"))
            .GetProperty("Credentials");
        var memberCli = new Cli(_root.Endpoint, credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
        var child = await Route53Fixture.CreateZoneAsync(memberCli, "preview.dm-delegation.test");
        await Route53Fixture.ChangeAsync(memberCli, child, Route53Fixture.Batch("CREATE", "www.preview.dm-delegation.test", "A", 60, "192.0.2.20"));
        var childServers = (await memberCli.RunAsync("route53", "get-hosted-zone", "--id", child)).GetProperty("DelegationSet").GetProperty("NameServers")
            .EnumerateArray().Select(n => n.GetString()!).ToArray();

        // Not delegated yet: the parent, which the DNS reaches first, has no such name.
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(_port, "www.preview.dm-delegation.test", "A")).Status);

        // Delegated to name servers that are not the child zone's: the parent answers a referral (AA off, NS in authority).
        await Route53Fixture.ChangeAsync(_root, apex, Route53Fixture.Batch("CREATE", "preview.dm-delegation.test", "NS", 300, "ns1.elsewhere.test"));
        var referral = await Dig.QueryAsync(_port, "www.preview.dm-delegation.test", "A");
        Assert.Equal("NOERROR", referral.Status);
        Assert.False(referral.Authoritative);
        Assert.Empty(referral.Answer);
        Assert.Equal(["preview.dm-delegation.test. 300 NS ns1.elsewhere.test."], referral.Authority);

        // Delegated to the member zone's own name servers: the resolver reaches the child, which answers authoritatively.
        await Route53Fixture.ChangeAsync(_root, apex, Route53Fixture.Batch("UPSERT", "preview.dm-delegation.test", "NS", 300, childServers));
        var answer = await Dig.QueryAsync(_port, "www.preview.dm-delegation.test", "A");
        Assert.True(answer.Authoritative);
        Assert.Equal(["www.preview.dm-delegation.test. 60 A 192.0.2.20"], answer.Answer);
        var childSoa = await Dig.QueryAsync(_port, "preview.dm-delegation.test", "SOA");
        Assert.True(childSoa.Authoritative);
        Assert.StartsWith("preview.dm-delegation.test. 900 SOA " + childServers[0] + ".", Assert.Single(childSoa.Answer), StringComparison.Ordinal);

        // A deeper name the parent still delegates elsewhere stays a referral.
        await Route53Fixture.ChangeAsync(_root, apex, Route53Fixture.Batch("CREATE", "ext.dm-delegation.test", "NS", 300, "ns.ext-provider.test"));
        var external = await Dig.QueryAsync(_port, "a.ext.dm-delegation.test", "AAAA");
        Assert.False(external.Authoritative);
        Assert.Equal(["ext.dm-delegation.test. 300 NS ns.ext-provider.test."], external.Authority);
    }

    [Fact]
    public async Task UnhostedName_Refused()
    {
        Assert.Equal("REFUSED", (await Dig.QueryAsync(_port, "www.not-hosted.invalid", "A")).Status);
    }

    [Fact]
    public async Task Weighted_ZeroWeightNeverAnsweredWhileOthersWeigh()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "weights.dns.test");
        await Route53Fixture.ChangeAsync(_root, id, """
            {"Changes":[
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.weights.dns.test","Type":"A","SetIdentifier":"live","Weight":10,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.30"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.weights.dns.test","Type":"A","SetIdentifier":"drained","Weight":0,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.31"}]}}
            ]}
            """);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(["www.weights.dns.test. 60 A 192.0.2.30"], (await Dig.QueryAsync(_port, "www.weights.dns.test", "A")).Answer);
        }
    }
}
