using System.Xml.Linq;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>ChangeResourceRecordSets, ListResourceRecordSets and GetChange through the AWS CLI.</summary>
public sealed class Route53RecordTests(Route53Fixture fixture) : IClassFixture<Route53Fixture>
{
    private readonly Cli _root = fixture.Root;

    [Fact]
    public async Task ChangeResourceRecordSets_CreateUpsertDelete_EachTypeStoredAsGiven()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "types.example.com");
        var batch = """
            {"Comment":"every type","Changes":[
              {"Action":"CREATE","ResourceRecordSet":{"Name":"a.types.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"},{"Value":"192.0.2.2"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"a.types.example.com","Type":"AAAA","TTL":60,"ResourceRecords":[{"Value":"2001:db8::1"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"c.types.example.com","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"a.types.example.com"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"types.example.com","Type":"TXT","TTL":60,"ResourceRecords":[{"Value":"\"v=spf1 -all\""}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"types.example.com","Type":"MX","TTL":60,"ResourceRecords":[{"Value":"10 mail.types.example.com"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"_sip._tcp.types.example.com","Type":"SRV","TTL":60,"ResourceRecords":[{"Value":"1 10 5060 sip.types.example.com"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"types.example.com","Type":"CAA","TTL":60,"ResourceRecords":[{"Value":"0 issue \"letsencrypt.org\""}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"1.2.0.192.in-addr.types.example.com","Type":"PTR","TTL":60,"ResourceRecords":[{"Value":"a.types.example.com"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"sub.types.example.com","Type":"NS","TTL":60,"ResourceRecords":[{"Value":"ns1.elsewhere.test"}]}}
            ]}
            """;
        var changed = await Route53Fixture.ChangeAsync(_root, id, batch);
        Assert.Equal("every type", changed.GetProperty("ChangeInfo").GetProperty("Comment").GetString());
        Assert.Equal("PENDING", changed.GetProperty("ChangeInfo").GetProperty("Status").GetString());
        var lines = await Route53Fixture.RecordLinesAsync(_root, id);
        Assert.Equal(11, lines.Count);
        Assert.Contains("a.types.example.com. A 60 192.0.2.1|192.0.2.2", lines);
        Assert.Contains("types.example.com. CAA 60 0 issue \"letsencrypt.org\"", lines);

        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("UPSERT", "a.types.example.com", "A", 300, "192.0.2.3"));
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("DELETE", "c.types.example.com", "CNAME", 60, "a.types.example.com"));
        lines = await Route53Fixture.RecordLinesAsync(_root, id);
        Assert.Contains("a.types.example.com. A 300 192.0.2.3", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("c.types.example.com.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListResourceRecordSets_OrdersByReversedNameThenType_AndPagesWithNextRecord()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "order.example.com");
        foreach (var (name, type, value) in new[]
        {
            ("www.order.example.com", "A", "192.0.2.1"), ("a.www.order.example.com", "A", "192.0.2.2"), ("b.order.example.com", "TXT", "\"b\""),
            ("b.order.example.com", "A", "192.0.2.3"), ("*.order.example.com", "A", "192.0.2.4"), ("a-b.order.example.com", "A", "192.0.2.5"),
        })
        {
            await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", name, type, 60, value));
        }

        var lines = (await Route53Fixture.RecordLinesAsync(_root, id)).Select(l => string.Join(' ', l.Split(' ')[..2])).ToList();
        Assert.Equal(
        [
            "order.example.com. NS", "order.example.com. SOA", @"\052.order.example.com. A", "a-b.order.example.com. A",
            "b.order.example.com. A", "b.order.example.com. TXT", "www.order.example.com. A", "a.www.order.example.com. A",
        ], lines);

        using var raw = new Route53Raw(fixture.Server);
        var page = await raw.SendAsync("GET", $"/2013-04-01/hostedzone/{id}/rrset", null, ("name", "b.order.example.com"), ("type", "TXT"), ("maxitems", "2"));
        Assert.Equal(200, page.Status);
        XNamespace ns = "https://route53.amazonaws.com/doc/2013-04-01/";
        var root = page.Document!.Root!;
        Assert.Equal("ListResourceRecordSetsResponse", root.Name.LocalName);
        Assert.Equal(["TXT", "A"], root.Element(ns + "ResourceRecordSets")!.Elements(ns + "ResourceRecordSet").Select(e => e.Element(ns + "Type")!.Value).ToList());
        Assert.Equal("true", root.Element(ns + "IsTruncated")!.Value);
        Assert.Equal("a.www.order.example.com.", root.Element(ns + "NextRecordName")!.Value);
        Assert.Equal("A", root.Element(ns + "NextRecordType")!.Value);
        Assert.Equal("2", root.Element(ns + "MaxItems")!.Value);

        // The CLI's own paging (one set per request, each starting at the last page's NextRecordName and type) sees every set once, in order.
        var paged = await _root.RunAsync("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--page-size", "1");
        Assert.Equal(lines, paged.GetProperty("ResourceRecordSets").EnumerateArray().Select(s => $"{s.GetProperty("Name").GetString()} {s.GetProperty("Type").GetString()}").ToList());
    }

    [Fact]
    public async Task ListResourceRecordSets_TypeWithoutName_InvalidInput()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "list-bad.example.com");
        var error = await _root.FailAsync("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--start-record-type", "A");
        Assert.Contains("(InvalidInput)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeResourceRecordSets_OneBadChange_AppliesNoneAndListsEveryProblem()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "atomic.example.com");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "keep.atomic.example.com", "A", 60, "192.0.2.1"));
        var before = await Route53Fixture.RecordLinesAsync(_root, id);
        var batch = """
            {"Changes":[
              {"Action":"CREATE","ResourceRecordSet":{"Name":"new.atomic.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.7"}]}},
              {"Action":"UPSERT","ResourceRecordSet":{"Name":"keep.atomic.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.8"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"bad.atomic.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2"}]}},
              {"Action":"DELETE","ResourceRecordSet":{"Name":"gone.atomic.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.9"}]}}
            ]}
            """;
        var error = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", batch);
        Assert.Contains("(InvalidChangeBatch)", error, StringComparison.Ordinal);
        Assert.Contains("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '192.0.2'", error, StringComparison.Ordinal);
        Assert.Contains("Tried to delete resource record set [name='gone.atomic.example.com.', type='A'] but it was not found", error, StringComparison.Ordinal);
        Assert.Equal(before, await Route53Fixture.RecordLinesAsync(_root, id));
    }

    [Theory]
    [InlineData("CREATE", "dup.rules.example.com", "A", "192.0.2.1", "Tried to create resource record set [name='dup.rules.example.com.', type='A'] but it already exists")]
    [InlineData("DELETE", "dup.rules.example.com", "A", "192.0.2.99", "Tried to delete resource record set [name='dup.rules.example.com.', type='A'] but the values provided do not match the current values")]
    [InlineData("CREATE", "rules.example.com", "CNAME", "elsewhere.test", "RRSet of type CNAME with DNS name rules.example.com. is not permitted at apex in zone rules.example.com.")]
    [InlineData("CREATE", "dup.rules.example.com", "CNAME", "elsewhere.test", "RRSet of type CNAME with DNS name dup.rules.example.com. is not permitted as it conflicts with other records with the same DNS name in zone rules.example.com.")]
    [InlineData("CREATE", "www.other.test", "A", "192.0.2.1", "RRSet with DNS name www.other.test. is not permitted in zone rules.example.com.")]
    [InlineData("CREATE", "v6.rules.example.com", "AAAA", "192.0.2.1", "AAAARRDATAIllegalIPv6Address")]
    [InlineData("CREATE", "mx.rules.example.com", "MX", "mail.rules.example.com", "MXRRDATAIncorrectNumberOfFields")]
    [InlineData("CREATE", "ds.rules.example.com", "DS", "1 2 3 abcd", "RRSet of type DS with DNS name ds.rules.example.com. is not supported by Cloudkeep's Route 53")]
    public async Task ChangeResourceRecordSets_BreaksARule_InvalidChangeBatchWithAwsMessage(string action, string name, string type, string value, string message)
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "rules.example.com");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "dup.rules.example.com", "A", 60, "192.0.2.1"));
        var before = await Route53Fixture.RecordLinesAsync(_root, id);
        var error = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", Route53Fixture.Batch(action, name, type, 60, value));
        Assert.Contains("(InvalidChangeBatch)", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(before, await Route53Fixture.RecordLinesAsync(_root, id));
    }

    [Fact]
    public async Task ChangeResourceRecordSets_ApexSoaAndNs_CannotBeDeleted()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "apex.example.com");
        var ns = (await Route53Fixture.RecordLinesAsync(_root, id))[0].Split(' ')[3].Split('|');
        var error = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", Route53Fixture.Batch("DELETE", "apex.example.com", "NS", 172800, ns));
        Assert.Contains("A HostedZone must contain at least one NS record for the zone itself.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeResourceRecordSets_DeleteThenCreateInOneBatch_ReplacesTheSet()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "swap.example.com");
        await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "www.swap.example.com", "A", 60, "192.0.2.1"));
        await Route53Fixture.ChangeAsync(_root, id, """
            {"Changes":[
              {"Action":"DELETE","ResourceRecordSet":{"Name":"www.swap.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.swap.example.com","Type":"A","TTL":120,"ResourceRecords":[{"Value":"192.0.2.2"}]}}
            ]}
            """);
        Assert.Contains("www.swap.example.com. A 120 192.0.2.2", await Route53Fixture.RecordLinesAsync(_root, id));
    }

    [Fact]
    public async Task ChangeResourceRecordSets_Weighted_ListedWithSetIdentifierAndWeight()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "weighted.example.com");
        await Route53Fixture.ChangeAsync(_root, id, """
            {"Changes":[
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.weighted.example.com","Type":"A","SetIdentifier":"blue","Weight":100,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.weighted.example.com","Type":"A","SetIdentifier":"green","Weight":0,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.2"}]}}
            ]}
            """);
        var listed = await _root.RunAsync("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--start-record-name", "www.weighted.example.com");
        var sets = listed.GetProperty("ResourceRecordSets").EnumerateArray().Select(s => $"{s.GetProperty("SetIdentifier").GetString()}:{s.GetProperty("Weight").GetInt64()}").ToList();
        Assert.Equal(["blue:100", "green:0"], sets);

        var mixed = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", Route53Fixture.Batch("CREATE", "www.weighted.example.com", "A", 60, "192.0.2.3"));
        Assert.Contains("cannot be created as weighted sets exist with the same name and type", mixed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"x.input.example.com","Type":"A","ResourceRecords":[{"Value":"192.0.2.1"}]}}]}""", "InvalidInput", "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none")]
    [InlineData("""{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"x.input.example.com","Type":"A","Weight":1,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}""", "InvalidInput", "Missing field 'SetIdentifier'")]
    [InlineData("""{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"x.input.example.com","Type":"A","AliasTarget":{"HostedZoneId":"Z1","DNSName":"a.example.com","EvaluateTargetHealth":false}}}]}""", "NotImplemented", "AliasTarget is not implemented")]
    [InlineData("""{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"x.input.example.com","Type":"A","SetIdentifier":"eu","Region":"eu-west-1","TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}""", "NotImplemented", "Region is not implemented")]
    [InlineData("""{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"x.input.example.com","Type":"A","SetIdentifier":"a","Weight":300,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}""", "InvalidInput", "resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to 255")]
    public async Task ChangeResourceRecordSets_MalformedChange_AwsCodeAndNothingChanged(string batch, string code, string message)
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "input.example.com");
        var before = await Route53Fixture.RecordLinesAsync(_root, id);
        var error = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", batch);
        Assert.Contains($"({code})", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(before, await Route53Fixture.RecordLinesAsync(_root, id));
    }

    [Fact]
    public async Task GetChange_PendingUntilPropagationDelayThenInsync()
    {
        var id = await Route53Fixture.CreateZoneAsync(_root, "change.example.com");
        var changed = await Route53Fixture.ChangeAsync(_root, id, Route53Fixture.Batch("CREATE", "www.change.example.com", "A", 60, "192.0.2.1"));
        var changeId = changed.GetProperty("ChangeInfo").GetProperty("Id").GetString()!;
        Assert.Equal("PENDING", (await _root.RunAsync("route53", "get-change", "--id", changeId)).GetProperty("ChangeInfo").GetProperty("Status").GetString());
        fixture.Clock.Offset += Cloudkeep.Services.Route53.Route53Context.PropagationDelay;
        try
        {
            Assert.Equal("INSYNC", (await _root.RunAsync("route53", "get-change", "--id", changeId)).GetProperty("ChangeInfo").GetProperty("Status").GetString());
        }
        finally
        {
            fixture.Clock.Offset -= Cloudkeep.Services.Route53.Route53Context.PropagationDelay;
        }

        Assert.Contains("(NoSuchChange)", await _root.FailAsync("route53", "get-change", "--id", "C00000000000000000000"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeResourceRecordSets_UnknownZone_NoSuchHostedZone()
    {
        var error = await _root.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", "Z00000000000000000000", "--change-batch", Route53Fixture.Batch("CREATE", "a.example.com", "A", 60, "192.0.2.1"));
        Assert.Contains("(NoSuchHostedZone)", error, StringComparison.Ordinal);
    }
}
