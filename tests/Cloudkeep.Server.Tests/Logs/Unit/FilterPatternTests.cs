using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Logs;
using CsCheck;

namespace Cloudkeep.Server.Tests.Logs.Unit;

/// <summary>CloudWatch Logs filter patterns, term and JSON forms, as "Filter pattern syntax" describes them.</summary>
public sealed class FilterPatternTests
{
    private const string Json = """{"level":"error","latency":250,"ok":false,"user":{"name":"admin","roles":["ops","dev"]},"note":null}""";

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "", "anything", true },
        { "ERROR", "an ERROR here", true },
        { "ERROR", "an error here", false },
        { "ERROR Exception", "ERROR without it", false },
        { "ERROR Exception", "Exception then ERROR", true },
        { "?ERROR ?WARN", "WARN only", true },
        { "?ERROR ?WARN", "INFO only", false },
        { "ERROR -timeout", "ERROR timeout", false },
        { "\"disk full\"", "the disk full now", true },
        { "\"disk full\"", "full disk", false },
        { "{ $.level = \"error\" }", Json, true },
        { "{ $.level = \"err*\" }", Json, true },
        { "{ $.level != \"error\" }", Json, false },
        { "{ $.latency >= 250 }", Json, true },
        { "{ $.latency < 250 }", Json, false },
        { "{ $.user.name = \"admin\" && $.user.roles[1] = \"dev\" }", Json, true },
        { "{ ($.latency > 1000 || $.ok IS FALSE) && $.level = \"error\" }", Json, true },
        { "{ $.note IS NULL }", Json, true },
        { "{ $.missing NOT EXISTS }", Json, true },
        { "{ $.level NOT EXISTS }", Json, false },
        { "{ $.level = error }", Json, true },
        { "{ $.level = \"error\" }", "not json", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_AsTheSyntaxSays(string pattern, string message, bool expected) =>
        Assert.Equal(expected, FilterPattern.Parse(pattern).Matches(message));

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("{ $.a = }")]
    [InlineData("{ $.a = \"x\" ")]
    [InlineData("{ a = 1 }")]
    [InlineData("{ $.a > \"x\" }")]
    [InlineData("{ $.a IS MAYBE }")]
    [InlineData("[ip, user]")]
    public void Parse_PatternTheServiceRefuses_IsInvalidParameter(string pattern) =>
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => FilterPattern.Parse(pattern)).Code);

    [Fact]
    public void Matches_SingleTerm_IsOrdinalContains() =>
        Gen.String[Gen.Char["abcXYZ"], 1, 4].Select(Gen.String[Gen.Char["abcXYZ "], 0, 12]).Sample((term, message) =>
            FilterPattern.Parse(term).Matches(message) == message.Contains(term, StringComparison.Ordinal));
}
