using System.Text.Json;
using Cloudkeep.Services.Alerts;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>
/// The literal strings a pattern confines a field to, which lets the alert observer skip records no rule can
/// match without parsing them: the set must never leave out a value the pattern matches.
/// </summary>
public sealed class EventPatternRequiredStringsTests
{
    private static readonly string[] Patterns =
    [
        """{"detail":{"eventName":["ConsoleLogin"]}}""",
        """{"detail":{"eventName":["A","B"],"errorCode":[{"exists":false}]}}""",
        """{"detail":{"eventName":["A"]},"$or":[{"source":["x"]},{"source":["y"]}]}""",
        """{"detail":{"eventName":[{"prefix":"Delete"}]}}""",
        """{"detail":{"eventName":["A",{"prefix":"B"}]}}""",
        """{"detail":{"eventName":[{"equals-ignore-case":"consolelogin"}]}}""",
        """{"detail":{"eventName":[{"anything-but":"A"}]}}""",
        """{"detail":{"eventName":[{"exists":true}]}}""",
        """{"detail":{"eventName":[null]}}""",
        """{"detail":{"eventSource":["iam.amazonaws.com"]}}""",
        """{"source":["aws.iam"]}""",
        """{"detail":["A"]}""",
    ];

    private static readonly string[] Names = ["ConsoleLogin", "consolelogin", "A", "B", "Bx", "DeleteUser", "GetCallerIdentity", ""];

    [Theory]
    [InlineData("""{"detail":{"eventName":["ConsoleLogin"]}}""", "ConsoleLogin")]
    [InlineData("""{"detail":{"eventName":["A","B"],"errorCode":[{"exists":false}]}}""", "A,B")]
    [InlineData("""{"detail":{"eventName":["A"]},"$or":[{"source":["x"]},{"source":["y"]}]}""", "A")]
    [InlineData("""{"detail":{"eventName":[{"prefix":"Delete"}]}}""", null)]
    [InlineData("""{"detail":{"eventName":["A",{"prefix":"B"}]}}""", null)]
    [InlineData("""{"detail":{"eventName":[{"equals-ignore-case":"consolelogin"}]}}""", null)]
    [InlineData("""{"detail":{"eventName":[null]}}""", null)]
    [InlineData("""{"detail":{"eventSource":["iam.amazonaws.com"]}}""", null)]
    [InlineData("""{"source":["aws.iam"]}""", null)]
    [InlineData("""{"detail":["A"]}""", null)]
    public void RequiredStrings_OfEventName(string pattern, string? expected)
    {
        var required = EventPattern.Parse(pattern).RequiredStrings("detail", "eventName");
        Assert.Equal(expected, required is null ? null : string.Join(",", required.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void RequiredStrings_NeverLeavesOutAMatchingName()
    {
        foreach (var pattern in Patterns.Select(EventPattern.Parse))
        {
            var required = pattern.RequiredStrings("detail", "eventName");
            foreach (var name in Names)
            {
                foreach (var source in new[] { "x", "y", "aws.iam" })
                {
                    var @event = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["source"] = source,
                        ["detail"] = new Dictionary<string, object> { ["eventName"] = name, ["eventSource"] = "iam.amazonaws.com" },
                    });
                    if (pattern.Matches(JsonDocument.Parse(@event).RootElement))
                    {
                        Assert.True(required is null || required.Contains(name), $"{pattern.Json} matched {name} outside {string.Join(",", required ?? new HashSet<string>())}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("ConsoleLogin", "Root", true)]
    [InlineData("ConsoleLogin", "IAMUser", false)] // only root's sign-in is alerted
    [InlineData("PasswordRecoveryRequested", null, true)]
    [InlineData("GetCallerIdentity", "Root", true)] // root using an access key: any event
    [InlineData("GetCallerIdentity", "IAMUser", false)]
    [InlineData("GetCallerIdentity", "AssumedRole", false)]
    [InlineData("AssumeRole", "IAMUser", false)]
    [InlineData("GetCallerIdentity", null, true)] // unknown identity: judged
    [InlineData("AttachRolePolicy", "AssumedRole", true)]
    public void BuiltInRules_ConfineNamesAndIdentities_SoEverydayCallsAreNotJudged(string eventName, string? identityType, bool judged)
    {
        var engine = new AlertEngine(BuiltInAlertRules.All, null!, null!, [], TimeProvider.System);
        Assert.Equal(judged, engine.MayMatch(eventName, identityType));
    }

    [Fact]
    public void OperatorRule_ThatDoesNotConfineTheName_JudgesEveryEvent()
    {
        var rule = new AlertRule("any-delete", AlertSeverity.High, "t", "d", EventPattern.Parse("""{"detail":{"eventName":[{"prefix":"Delete"}]}}"""));
        var engine = new AlertEngine([.. BuiltInAlertRules.All, rule], null!, null!, [], TimeProvider.System);
        Assert.True(engine.MayMatch("GetCallerIdentity", "IAMUser"));
    }
}
