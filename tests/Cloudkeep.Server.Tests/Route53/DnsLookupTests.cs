using Cloudkeep.Services.Route53.Dns;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>DnsLookup over hand-made zones: the decisions an authoritative server makes, without the wire.</summary>
public sealed class DnsLookupTests
{
    private static readonly string[] ParentServers = ["ns-1.cloudkeep-dns.com.", "ns-1.cloudkeep-dns.net."];
    private static readonly string[] ChildServers = ["ns-2.cloudkeep-dns.com.", "ns-2.cloudkeep-dns.net."];

    private static Route53RecordSet Set(string name, string type, params string[] values) => new(name, type, "", null, 300, values);

    private static Route53ZoneRecord Zone(string id, string name, string[] servers, bool isPrivate = false) =>
        new(id, "111122223333", name, id, null, isPrivate, null, null, servers, DateTimeOffset.UnixEpoch);

    private static PublicZones Zones(params (Route53ZoneRecord Zone, Route53RecordSet[] Sets)[] zones) =>
        PublicZones.From(zones.Select(z => z.Zone), zones.ToDictionary(z => z.Zone.ZoneId, z => z.Sets.Prepend(Set(z.Zone.Name, "SOA", $"{z.Zone.NameServers[0]} hostmaster. 1 7200 900 1209600 60")).ToList()));

    private static DnsAnswer Resolve(PublicZones zones, string name, string type) => DnsLookup.Resolve(zones, name, type, _ => 0);

    [Fact]
    public void Referral_ExternalDelegation_NsInAuthorityAndInZoneGlue()
    {
        var zones = Zones((Zone("Z1", "example.test.", ParentServers),
        [
            Set("sub.example.test.", "NS", "ns.sub.example.test.", "ns.elsewhere.test."),
            Set("ns.sub.example.test.", "A", "192.0.2.53"),
            Set("www.sub.example.test.", "A", "192.0.2.1"),
        ]));
        var answer = Resolve(zones, "www.sub.example.test.", "A");
        Assert.Equal(DnsOutcome.Referral, answer.Outcome);
        Assert.False(answer.Authoritative);
        Assert.Empty(answer.Answer);
        Assert.Equal("sub.example.test.", Assert.Single(answer.Authority).Owner);
        Assert.Equal("192.0.2.53", Assert.Single(answer.Additional).Set.Values[0]);
    }

    [Fact]
    public void DelegatedChildZone_AnswersAuthoritatively_UndelegatedChildIsNotReached()
    {
        var parent = Zone("Z1", "example.test.", ParentServers);
        var child = Zone("Z2", "sub.example.test.", ChildServers);
        var delegated = Zones((parent, [Set("sub.example.test.", "NS", ChildServers)]), (child, [Set("www.sub.example.test.", "A", "192.0.2.2")]));
        var answer = Resolve(delegated, "www.sub.example.test.", "A");
        Assert.Equal(DnsOutcome.Answer, answer.Outcome);
        Assert.True(answer.Authoritative);

        var undelegated = Zones((parent, []), (child, [Set("www.sub.example.test.", "A", "192.0.2.2")]));
        Assert.Equal(DnsOutcome.NameError, Resolve(undelegated, "www.sub.example.test.", "A").Outcome);
    }

    [Fact]
    public void SameNameTwice_TheOneTheParentDelegatesToAnswers()
    {
        var parent = Zone("Z1", "example.test.", ParentServers);
        var older = Zone("Z2", "sub.example.test.", ["ns-3.cloudkeep-dns.com."]);
        var delegatedTo = Zone("Z3", "sub.example.test.", ChildServers);
        var zones = Zones((parent, [Set("sub.example.test.", "NS", ChildServers)]), (older, [Set("a.sub.example.test.", "A", "192.0.2.3")]), (delegatedTo, [Set("a.sub.example.test.", "A", "192.0.2.4")]));
        Assert.Equal("192.0.2.4", Resolve(zones, "a.sub.example.test.", "A").Answer[0].Set.Values[0]);
    }

    [Fact]
    public void NegativeAnswers_SoaTtlIsTheLesserOfTtlAndMinimum_EmptyNonTerminalIsNoData()
    {
        var zones = Zones((Zone("Z1", "example.test.", ParentServers), [Set("a.b.example.test.", "A", "192.0.2.1")]));
        var missing = Resolve(zones, "c.example.test.", "A");
        Assert.Equal(DnsOutcome.NameError, missing.Outcome);
        Assert.Equal(60, Assert.Single(missing.Authority).Ttl);
        Assert.Equal(DnsOutcome.NoData, Resolve(zones, "b.example.test.", "A").Outcome);
        Assert.Equal(DnsOutcome.NoData, Resolve(zones, "a.b.example.test.", "TXT").Outcome);
    }

    [Fact]
    public void Wildcard_DoesNotAnswerForANameThatExists()
    {
        var zones = Zones((Zone("Z1", "example.test.", ParentServers), [Set("*.example.test.", "A", "192.0.2.9"), Set("real.example.test.", "TXT", "\"x\"")]));
        Assert.Equal("any.example.test.", Assert.Single(Resolve(zones, "any.example.test.", "A").Answer).Owner);
        Assert.Equal(DnsOutcome.NoData, Resolve(zones, "real.example.test.", "A").Outcome);
    }

    [Fact]
    public void CnameLoop_EndsWithoutFollowingForever()
    {
        var zones = Zones((Zone("Z1", "example.test.", ParentServers), [Set("a.example.test.", "CNAME", "b.example.test."), Set("b.example.test.", "CNAME", "a.example.test.")]));
        var answer = Resolve(zones, "a.example.test.", "A");
        Assert.Equal(2, answer.Answer.Count);
        Assert.Equal(DnsOutcome.Answer, answer.Outcome);
    }

    [Fact]
    public void PrivateZone_NeverAnswered()
    {
        var zones = Zones((Zone("Z1", "internal.test.", ParentServers, isPrivate: true), [Set("a.internal.test.", "A", "10.0.0.1")]));
        Assert.Equal(DnsOutcome.Refused, Resolve(zones, "a.internal.test.", "A").Outcome);
    }
}
