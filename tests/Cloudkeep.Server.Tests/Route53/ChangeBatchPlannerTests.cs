using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Route53;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>ChangeBatchPlanner apart from the wire and the store: changes apply in order, and every problem of a batch is reported.</summary>
public sealed class ChangeBatchPlannerTests
{
    private const string ZoneName = "example.test.";

    private static readonly Route53RecordSet[] Apex =
    [
        new(ZoneName, "NS", "", null, 172800, ["ns-1.cloudkeep-dns.com."]),
        new(ZoneName, "SOA", "", null, 900, ["ns-1.cloudkeep-dns.com. hostmaster. 1 7200 900 1209600 86400"]),
    ];

    private static JsonObject Change(string action, string name, string type, long ttl, params string[] values) => new()
    {
        ["Action"] = action,
        ["ResourceRecordSet"] = new JsonObject
        {
            ["Name"] = name,
            ["Type"] = type,
            ["TTL"] = ttl,
            ["ResourceRecords"] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject { ["Value"] = v })]),
        },
    };

    private static IReadOnlyList<Route53RecordChange> Plan(IReadOnlyList<Route53RecordSet> current, params JsonObject[] changes) =>
        ChangeBatchPlanner.Plan(ZoneName, current, ChangeBatchPlanner.Parse(new JsonArray(changes)));

    [Fact]
    public void UpsertApexNs_Allowed_AsOneDeleteAndOneInsert()
    {
        var result = Plan(Apex, Change("UPSERT", "example.test", "NS", 3600, "ns-9.elsewhere.test."));
        Assert.Equal([true, false], result.Select(c => c.Delete));
    }

    [Fact]
    public void CreateThenDeleteSameSetInOneBatch_ChangesNothing()
    {
        Assert.Empty(Plan(Apex, Change("CREATE", "a.example.test", "A", 60, "192.0.2.1"), Change("DELETE", "a.example.test", "A", 60, "192.0.2.1")));
    }

    [Fact]
    public void SeveralProblems_AllListedInOneInvalidChangeBatch()
    {
        var error = Assert.Throws<AwsException>(() => Plan(Apex,
            Change("CREATE", "a.example.test", "A", 60, "300.0.0.1"),
            Change("DELETE", "b.example.test", "A", 60, "192.0.2.1"),
            Change("CREATE", "c.other.test", "A", 60, "192.0.2.1")));
        Assert.Equal("InvalidChangeBatch", error.Code);
        Assert.StartsWith("[", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Message.Split(", ").Count(p => p.Contains("300.0.0.1", StringComparison.Ordinal) || p.Contains("b.example.test.", StringComparison.Ordinal) || p.Contains("c.other.test.", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(@"\052.example.test", "*.example.test.")]
    [InlineData("WWW.Example.Test", "www.example.test.")]
    [InlineData("www.example.test.", "www.example.test.")]
    public void DnsNames_Normalize_LowerCaseFullyQualifiedWithWildcard(string text, string expected) =>
        Assert.Equal(expected, DnsNames.Normalize(text, out _));

    [Theory]
    [InlineData("a..example.test")]
    [InlineData("*a.example.test")]
    [InlineData("a.*.example.test")]
    public void DnsNames_Normalize_RefusesMalformedNames(string text) =>
        Assert.Null(DnsNames.Normalize(text, out _));
}
