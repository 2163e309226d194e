using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Sns;
using CsCheck;

namespace Cloudkeep.Server.Tests.Sns.Unit;

/// <summary>SNS filter policies as the SNS developer guide's "Filter policy constraints" and examples describe them.</summary>
public sealed class FilterPolicyTests
{
    private static readonly Dictionary<string, MessageAttributeValue> Order = new(StringComparer.Ordinal)
    {
        ["store"] = new("String", "example_corp"),
        ["event"] = new("String", "order_placed"),
        ["customer_interests"] = new("String.Array", """["soccer","rugby","hockey"]"""),
        ["price_usd"] = new("Number", "210.75"),
        ["encrypted"] = new("Binary", "AAEC"),
    };

    public static TheoryData<string, bool> AttributeCases => new()
    {
        { """{"store":["example_corp"]}""", true },
        { """{"store":["other"]}""", false },
        { """{"store":["other","example_corp"]}""", true },
        { """{"store":["example_corp"],"event":["order_cancelled"]}""", false },
        { """{"customer_interests":["rugby"]}""", true },
        { """{"customer_interests":["baseball"]}""", false },
        { """{"price_usd":[{"numeric":[">=",100]}]}""", true },
        { """{"price_usd":[{"numeric":[">",0,"<=",150]}]}""", false },
        { """{"price_usd":[210.75]}""", true },
        { """{"price_usd":["210.75"]}""", false },
        { """{"store":[{"prefix":"example"}]}""", true },
        { """{"store":[{"suffix":"_corp"}]}""", true },
        { """{"store":[{"suffix":"_inc"}]}""", false },
        { """{"store":[{"equals-ignore-case":"EXAMPLE_CORP"}]}""", true },
        { """{"store":[{"anything-but":"example_corp"}]}""", false },
        { """{"store":[{"anything-but":["a","b"]}]}""", true },
        { """{"store":[{"anything-but":{"prefix":"ex"}}]}""", false },
        { """{"price_usd":[{"anything-but":[100]}]}""", true },
        { """{"missing":[{"exists":false}]}""", true },
        { """{"missing":[{"exists":true}]}""", false },
        { """{"store":[{"exists":true}]}""", true },
        { """{"missing":["x"]}""", false },
        { """{"encrypted":["AAEC"]}""", false },
        { """{"$or":[{"store":["nope"]},{"event":["order_placed"]}]}""", true },
        { """{"$or":[{"store":["nope"]},{"event":["nope"]}]}""", false },
        { """{}""", true },
    };

    [Theory]
    [MemberData(nameof(AttributeCases))]
    public void Matches_MessageAttributes_AsSnsDocumentsIt(string policy, bool expected) =>
        Assert.Equal(expected, FilterPolicy.Parse(policy, null).Matches(Order, "ignored"));

    public static TheoryData<string, bool> BodyCases => new()
    {
        { """{"order":{"store":["example_corp"]}}""", true },
        { """{"order":{"total":[{"numeric":[">",100]}]}}""", true },
        { """{"order":{"total":[{"numeric":["<",100]}]}}""", false },
        { """{"order":{"tags":["gift"]}}""", true },
        { """{"order":{"store":[{"exists":false}]}}""", false },
        { """{"customer":["x"]}""", false },
    };

    [Theory]
    [MemberData(nameof(BodyCases))]
    public void Matches_MessageBody_ByNestedPaths(string policy, bool expected) =>
        Assert.Equal(expected, FilterPolicy.Parse(policy, "MessageBody").Matches(Order, """{"order":{"store":"example_corp","total":150,"tags":["gift","rush"]}}"""));

    [Fact]
    public void Matches_BodyScope_NonJsonBodyMatchesNothing() =>
        Assert.False(FilterPolicy.Parse("""{"a":["b"]}""", "MessageBody").Matches(Order, "plain text"));

    public static TheoryData<string, string?> Refused => new()
    {
        { "not json", null },
        { "[1]", null },
        { """{"a":"b"}""", null },
        { """{"a":[]}""", null },
        { """{"a":[{"nonsense":1}]}""", null },
        { """{"a":[{"numeric":[">"]}]}""", null },
        { """{"a":[{"numeric":["!=",1]}]}""", null },
        { """{"a":[{"prefix":1}]}""", null },
        { """{"a":[{"exists":"yes"}]}""", null },
        { """{"a":[true]}""", null },
        { """{"$or":[{"a":["b"]}]}""", null },
        { """{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}""", null },
        { """{"a":["1","2","3","4","5","6","7","8","9","10","11","12","13"],"b":["1","2","3","4","5","6","7","8","9","10","11","12"]}""", null },
        { """{"a":["b"]}""", "Everything" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Parse_PolicySnsRefuses_IsInvalidParameter(string policy, string? scope)
    {
        var error = Assert.Throws<AwsException>(() => FilterPolicy.Parse(policy, scope));
        Assert.Equal("InvalidParameter", error.Code);
        Assert.StartsWith("Invalid parameter: Filter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_ExactStringPolicy_MatchesExactlyTheValuesItNames() =>
        Gen.String[0, 20].Select(Gen.String[0, 20]).Sample((wanted, actual) =>
        {
            var policy = FilterPolicy.Parse(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string[]> { ["k"] = [wanted] }), null);
            var attributes = new Dictionary<string, MessageAttributeValue> { ["k"] = new("String", actual) };
            return policy.Matches(attributes, "") == (wanted == actual);
        });

    [Fact]
    public void Matches_AnythingBut_IsTheNegationOfExactForPresentValues() =>
        Gen.String[1, 10].Select(Gen.String[1, 10]).Sample((excluded, actual) =>
        {
            var json = System.Text.Json.JsonSerializer.Serialize(excluded);
            var exact = FilterPolicy.Parse($$"""{"k":[{{json}}]}""", null);
            var but = FilterPolicy.Parse("""{"k":[{"anything-but":""" + json + "}]}", null);
            var attributes = new Dictionary<string, MessageAttributeValue> { ["k"] = new("String", actual) };
            return exact.Matches(attributes, "") != but.Matches(attributes, "");
        });

    [Fact]
    public void Matches_NumericRange_AgreesWithComparison() =>
        Gen.Double[-1e6, 1e6].Select(Gen.Double[-1e6, 1e6]).Sample((bound, value) =>
        {
            var policy = FilterPolicy.Parse($$"""{"n":[{"numeric":[">=",{{bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}]}]}""", null);
            var attributes = new Dictionary<string, MessageAttributeValue> { ["n"] = new("Number", value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)) };
            return policy.Matches(attributes, "") == (value >= bound);
        });
}
