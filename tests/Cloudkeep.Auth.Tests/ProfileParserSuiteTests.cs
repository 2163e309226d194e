using System.Text.Json;

namespace Cloudkeep.Auth.Tests;

/// <summary>Every case of the cross-SDK profile parser suite (smithy-rs profile-parser-tests.json).</summary>
public sealed class ProfileParserSuiteTests
{
    private static readonly JsonElement Suite = Fixture.Load("profile-parser-tests.json");

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var index = 0;
        foreach (var test in Suite.GetProperty("tests").EnumerateArray())
        {
            data.Add(index++, test.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Suite_HasEveryPublishedCase()
    {
        Assert.Equal(64, Suite.GetProperty("tests").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProfileSet_SuiteCase_MatchesExpectedOutput(int index, string name)
    {
        var test = Suite.GetProperty("tests")[index];
        Assert.Equal(name, test.GetProperty("name").GetString());
        var input = test.GetProperty("input");
        var config = input.TryGetProperty("configFile", out var c) ? c.GetString() : null;
        var credentials = input.TryGetProperty("credentialsFile", out var k) ? k.GetString() : null;
        var output = test.GetProperty("output");
        if (output.TryGetProperty("errorContaining", out var error))
        {
            var exception = Assert.Throws<ProfileFileException>(() => ProfileSet.Parse(config, credentials));
            Assert.Contains(error.GetString()!, exception.Message, StringComparison.Ordinal);
            return;
        }

        var parsed = ProfileSet.Parse(config, credentials);
        var expected = output.GetProperty("config");
        Assert.Equal(Sections(expected.GetProperty("profiles")), Flatten(parsed.Profiles));
        if (expected.TryGetProperty("sso_sessions", out var sessions))
        {
            Assert.Equal(Sections(sessions), Flatten(parsed.SsoSessions));
        }
    }

    private static SortedDictionary<string, SortedDictionary<string, string>> Sections(JsonElement element) =>
        new(element.EnumerateObject().ToDictionary(
            section => section.Name,
            section => new SortedDictionary<string, string>(section.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), StringComparer.Ordinal)),
            StringComparer.Ordinal);

    private static SortedDictionary<string, SortedDictionary<string, string>> Flatten(IReadOnlyDictionary<string, Dictionary<string, string>> sections) =>
        new(sections.ToDictionary(s => s.Key, s => new SortedDictionary<string, string>(s.Value, StringComparer.Ordinal)), StringComparer.Ordinal);
}
