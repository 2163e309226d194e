using System.Text.Json;
using Cloudkeep.Services.Alerts;
using CsCheck;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>EventBridge pattern matching: AWS's documented examples as a table, then properties over generated values.</summary>
public sealed class EventPatternTests
{
    private static bool Match(string pattern, string @event) => EventPattern.Parse(pattern).Matches(JsonDocument.Parse(@event).RootElement);

    private const string Ec2Event = """
        {"source":"aws.ec2","detail-type":"EC2 Instance State-change Notification","account":"123456789012","region":"us-east-1",
         "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0"],
         "detail":{"instance-id":"i-1234567890abcdef0","state":"terminated","c-count":5,"d-count":3.0,"x-limit":301.8,"source-ip":"10.0.0.123",
                   "location":"us-east","name":"Example","tags":["a","b"],"flag":true,"nothing":null,"empty":[],"nested":{"k":"v"},
                   "items":[{"type":"x","size":1},{"type":"y","size":9}]}}
        """;

    [Theory]
    // Literals, and arrays in the event: any element.
    [InlineData("""{"source":["aws.ec2"]}""", true)]
    [InlineData("""{"source":["aws.s3","aws.ec2"]}""", true)]
    [InlineData("""{"source":["aws.s3"]}""", false)]
    [InlineData("""{"source":["AWS.EC2"]}""", false)]
    [InlineData("""{"detail":{"state":["terminated"]}}""", true)]
    [InlineData("""{"detail":{"tags":["b"]}}""", true)]
    [InlineData("""{"detail":{"tags":["c"]}}""", false)]
    [InlineData("""{"detail":{"c-count":[5]}}""", true)]
    [InlineData("""{"detail":{"c-count":[5.0]}}""", true)]
    [InlineData("""{"detail":{"c-count":["5"]}}""", false)]
    [InlineData("""{"detail":{"d-count":[3]}}""", true)]
    [InlineData("""{"detail":{"flag":[true]}}""", true)]
    [InlineData("""{"detail":{"flag":["true"]}}""", false)]
    [InlineData("""{"detail":{"nothing":[null]}}""", true)]
    [InlineData("""{"detail":{"missing":[null]}}""", false)]
    // Nested patterns: every field must match.
    [InlineData("""{"source":["aws.ec2"],"detail":{"state":["running"]}}""", false)]
    [InlineData("""{"detail":{"nested":{"k":["v"]}}}""", true)]
    [InlineData("""{"detail":{"nested":["v"]}}""", false)]
    [InlineData("""{"detail":{"items":{"type":["y"],"size":[9]}}}""", true)]
    [InlineData("""{"detail":{"items":{"type":["x"],"size":[9]}}}""", false)]
    // prefix, suffix, equals-ignore-case.
    [InlineData("""{"detail":{"instance-id":[{"prefix":"i-"}]}}""", true)]
    [InlineData("""{"detail":{"instance-id":[{"prefix":"I-"}]}}""", false)]
    [InlineData("""{"detail":{"instance-id":[{"prefix":{"equals-ignore-case":"I-1234"}}]}}""", true)]
    [InlineData("""{"detail":{"location":[{"suffix":"-east"}]}}""", true)]
    [InlineData("""{"detail":{"location":[{"suffix":{"equals-ignore-case":"-EAST"}}]}}""", true)]
    [InlineData("""{"detail":{"location":[{"suffix":"-west"}]}}""", false)]
    [InlineData("""{"detail":{"name":[{"equals-ignore-case":"eXaMpLe"}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"prefix":"5"}]}}""", false)]
    // anything-but.
    [InlineData("""{"detail":{"state":[{"anything-but":"initializing"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":["stopped","terminated"]}]}}""", false)]
    [InlineData("""{"detail":{"c-count":[{"anything-but":[1,2,5]}]}}""", false)]
    [InlineData("""{"detail":{"c-count":[{"anything-but":100}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"term"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"suffix":"ated"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"equals-ignore-case":"TERMINATED"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"equals-ignore-case":["RUNNING","STOPPED"]}}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"wildcard":"*min*"}}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"anything-but":"x"}]}}""", false)]
    // numeric.
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",5]}]}}""", false)]
    [InlineData("""{"detail":{"d-count":[{"numeric":["<",10]}]}}""", true)]
    [InlineData("""{"detail":{"x-limit":[{"numeric":["=",301.8]}]}}""", true)]
    [InlineData("""{"detail":{"x-limit":[{"numeric":[">=",302]}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"numeric":[">",0]}]}}""", false)]
    // exists: leaves only; an empty array is no value.
    [InlineData("""{"detail":{"state":[{"exists":true}]}}""", true)]
    [InlineData("""{"detail":{"missing":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"exists":false}]}}""", false)]
    [InlineData("""{"detail":{"empty":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"empty":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"nested":[{"exists":true}]}}""", false)]
    [InlineData("""{"nowhere":{"deeper":[{"exists":false}]}}""", true)]
    // wildcard.
    [InlineData("""{"resources":[{"wildcard":"arn:aws:ec2:*:instance/*"}]}""", true)]
    [InlineData("""{"resources":[{"wildcard":"arn:aws:s3:::*"}]}""", false)]
    [InlineData("""{"detail":{"name":[{"wildcard":"Ex*le"}]}}""", true)]
    [InlineData("""{"detail":{"name":[{"wildcard":"Ex*ple*"}]}}""", true)]
    [InlineData("""{"detail":{"name":[{"wildcard":"Exam\\*"}]}}""", false)]
    // cidr.
    [InlineData("""{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}""", true)]
    [InlineData("""{"detail":{"source-ip":[{"cidr":"10.0.1.0/24"}]}}""", false)]
    // $or, with the other fields of its level.
    [InlineData("""{"$or":[{"source":["aws.s3"]},{"detail":{"c-count":[5]}}]}""", true)]
    [InlineData("""{"$or":[{"source":["aws.s3"]},{"detail":{"c-count":[6]}}]}""", false)]
    [InlineData("""{"source":["aws.ec2"],"$or":[{"detail":{"state":["running"]}},{"detail":{"location":[{"prefix":"us-"}]}}]}""", true)]
    [InlineData("""{"source":["aws.s3"],"$or":[{"detail":{"state":["terminated"]}},{"detail":{"location":[{"prefix":"us-"}]}}]}""", false)]
    [InlineData("""{"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"d-count":[{"numeric":["<",4]}]}]}}""", true)]
    public void Matches_AwsExamples(string pattern, bool expected) => Assert.Equal(expected, Match(pattern, Ec2Event));

    [Theory]
    [InlineData("[1]", "a pattern is a JSON object")]
    [InlineData("""{"a":"x"}""", "a: a field's value is an object (a nested pattern) or an array of matchers, not string")]
    [InlineData("""{"a":[]}""", "a: an empty array matches nothing")]
    [InlineData("""{"a":{}}""", "a: an empty object matches nothing; leave the field out instead")]
    [InlineData("""{"a":[{"prefix":"x","suffix":"y"}]}""", "a[0]: a matcher object has exactly one operator, not 2")]
    [InlineData("""{"a":[{"startswith":"x"}]}""", "a[0]: unknown operator \"startswith\"")]
    [InlineData("""{"a":[{"numeric":[">"]}]}""", "a[0].numeric: takes [operator, number]")]
    [InlineData("""{"a":[{"numeric":["!=",1]}]}""", "a[0].numeric[0]: an operator")]
    [InlineData("""{"a":[{"numeric":[">",1,">",2]}]}""", "a[0].numeric: two comparisons must bound the value from below and from above")]
    [InlineData("""{"a":[{"exists":"yes"}]}""", "a[0].exists: takes true or false")]
    [InlineData("""{"a":[{"wildcard":"a**b"}]}""", "a[0].wildcard: consecutive wildcard characters are not allowed")]
    [InlineData("""{"a":[{"cidr":"10.0.0.0/99"}]}""", "a[0].cidr: takes a CIDR block")]
    [InlineData("""{"a":[{"anything-but":[1,"x"]}]}""", "a[0].anything-but: takes a string")]
    [InlineData("""{"$or":[{"a":[1]}]}""", "$or: \"$or\" takes an array of two or more patterns")]
    [InlineData("""{"a":[{"prefix":1}]}""", "a[0].prefix: takes a string or")]
    public void Parse_Invalid_SaysWhereAndWhy(string pattern, string problem)
    {
        var e = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));
        Assert.Contains(e.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralProblems_ListsThemAll()
    {
        var e = Assert.Throws<EventPatternException>(() => EventPattern.Parse("""{"a":[],"b":{"c":[{"exists":1}]},"d":5}"""));
        Assert.Equal(3, e.Problems.Count);
    }

    private static readonly Gen<string> Text = Gen.String[Gen.Char.AlphaNumeric, 0, 12];

    private static string Str(string s) => JsonSerializer.Serialize(s);

    [Fact]
    public void Exact_AnyString_MatchesItselfAloneOrInAnArray() =>
        Gen.Select(Text, Text, Text).Sample((value, other, filler) =>
        {
            Assert.True(Match($$"""{"a":[{{Str(value)}}]}""", $$"""{"a":{{Str(value)}}}"""));
            Assert.True(Match($$"""{"a":[{{Str(value)}}]}""", $$"""{"a":[{{Str(filler)}},{{Str(value)}}]}"""));
            Assert.Equal(value == other, Match($$"""{"a":[{{Str(value)}}]}""", $$"""{"a":{{Str(other)}}}"""));
        });

    [Fact]
    public void AnythingBut_IsTheNegationOfExact_ForPresentValues() =>
        Gen.Select(Text, Text).Sample((excluded, value) =>
            Match($$"""{"a":[{"anything-but":{{Str(excluded)}}}]}""", $$"""{"a":{{Str(value)}}}""")
                == !Match($$"""{"a":[{{Str(excluded)}}]}""", $$"""{"a":{{Str(value)}}}"""));

    [Fact]
    public void PrefixAndSuffix_MatchConcatenations_CaseAsAsked() =>
        Gen.Select(Text, Text).Sample((part, rest) =>
        {
            Assert.True(Match($$"""{"a":[{"prefix":{{Str(part)}}}]}""", $$"""{"a":{{Str(part + rest)}}}"""));
            Assert.True(Match($$"""{"a":[{"suffix":{{Str(part)}}}]}""", $$"""{"a":{{Str(rest + part)}}}"""));
            Assert.True(Match($$$"""{"a":[{"prefix":{"equals-ignore-case":{{{Str(part.ToUpperInvariant())}}}}}]}""", $$"""{"a":{{Str(part.ToLowerInvariant() + rest)}}}"""));
            Assert.Equal((rest + part).StartsWith(part, StringComparison.Ordinal), Match($$"""{"a":[{"prefix":{{Str(part)}}}]}""", $$"""{"a":{{Str(rest + part)}}}"""));
        });

    [Fact]
    public void Numeric_AgreesWithTheComparison() =>
        Gen.Select(Gen.Int[-1000, 1000], Gen.Int[-1000, 1000], Gen.Int[-1000, 1000]).Sample((low, high, value) =>
        {
            Assert.Equal(value > low, Match($$"""{"a":[{"numeric":[">",{{low}}]}]}""", $$"""{"a":{{value}}}"""));
            Assert.Equal(value >= low && value < high, Match($$"""{"a":[{"numeric":[">=",{{low}},"<",{{high}}]}]}""", $$"""{"a":{{value}}}"""));
            Assert.Equal(value == low, Match($$"""{"a":[{"numeric":["=",{{low}}]}]}""", $$"""{"a":{{value}}.0}"""));
        });

    [Fact]
    public void Exists_IsPresence() =>
        Gen.Select(Gen.Bool, Gen.Bool, Text).Sample((present, wanted, value) =>
            Match($$"""{"a":[{"exists":{{(wanted ? "true" : "false")}}}]}""", present ? $$"""{"a":{{Str(value)}}}""" : """{"b":1}""") == (present == wanted));

    [Fact]
    public void Wildcard_PartsJoinedByStars_MatchAnyFilling() =>
        Gen.Select(Text, Text, Text, Text).Sample((first, second, fill1, fill2) =>
        {
            Assert.True(Match($$"""{"a":[{"wildcard":{{Str(first + "*" + second)}}}]}""", $$"""{"a":{{Str(first + fill1 + second)}}}"""));
            // AWS refuses "**", so the star-wrapped form needs a part between the stars.
            Assert.True(first.Length == 0 || Match($$"""{"a":[{"wildcard":{{Str("*" + first + "*")}}}]}""", $$"""{"a":{{Str(fill1 + first + fill2)}}}"""));
            Assert.Equal(first == second, Match($$"""{"a":[{"wildcard":{{Str(first)}}}]}""", $$"""{"a":{{Str(second)}}}"""));
        });

    [Fact]
    public void Or_IsTheDisjunctionOfItsAlternatives() =>
        Gen.Select(Text, Text, Text, Text).Sample((x, y, a, b) =>
        {
            var left = $$"""{"a":[{{Str(x)}}]}""";
            var right = $$"""{"b":[{"prefix":{{Str(y)}}}]}""";
            var @event = $$"""{"a":{{Str(a)}},"b":{{Str(b)}}}""";
            Assert.Equal(Match(left, @event) || Match(right, @event), Match($$"""{"$or":[{{left}},{{right}}]}""", @event));
        });

    [Fact]
    public void Parse_ArbitraryJson_NeverThrowsAnythingButItsOwnException() =>
        Gen.String[Gen.Char['!', '~'], 0, 40].Sample(text =>
        {
            var ok = EventPattern.TryParse(text, out var pattern, out var problems);
            Assert.True(ok ? pattern is not null && problems.Count == 0 : problems.Count > 0);
        });
}
