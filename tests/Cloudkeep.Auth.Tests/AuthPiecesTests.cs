
namespace Cloudkeep.Auth.Tests;

/// <summary>The small parts of `cloudkeep auth` and `cloudkeep console-url`: durations, export lines, credential_process, switch-role links.</summary>
public sealed class AuthPiecesTests
{
    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("900s", 900)]
    [InlineData("1h", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("12h", 43200)]
    public void DurationText_ValidText_GivesSeconds(string text, int seconds)
    {
        Assert.Equal(seconds, DurationText.ParseSeconds(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1d")]
    [InlineData("m")]
    [InlineData("30m1h")]
    [InlineData("1h30")]
    [InlineData("-5")]
    public void DurationText_InvalidText_IsAUsageError(string text)
    {
        Assert.Equal(2, Assert.Throws<AuthException>(() => DurationText.ParseSeconds(text)).ExitCode);
    }

    [Fact]
    public void ExportLines_QuoteForPosixShells_AndUnsetRemovedVariables()
    {
        var lines = ChildEnvironment.ExportLines(new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["A"] = "it's $HOME", ["B"] = null });

        Assert.Equal("export A='it'\\''s $HOME'\nunset B\n", lines);
    }

    [Fact]
    public void ChildEnvironment_LongTermKeys_RemoveTokenAndExpiry()
    {
        var variables = ChildEnvironment.For(new TemporaryCredentials("AKIA", "s", null, null), new ResolvedProfile("p", new StaticCredentialSource("p", "AKIA", "s", null), null, null, null));

        Assert.Null(variables["AWS_SESSION_TOKEN"]);
        Assert.Null(variables["AWS_SECURITY_TOKEN"]);
        Assert.Null(variables["AWS_CREDENTIAL_EXPIRATION"]);
        Assert.Null(variables["AWS_PROFILE"]);
        Assert.False(variables.ContainsKey("AWS_REGION"));
    }

    [Theory]
    [InlineData("cloudkeep auth --credential-process --profile p", new[] { "cloudkeep", "auth", "--credential-process", "--profile", "p" })]
    [InlineData("'/opt/my tools/get' \"a \\\"b\\\"\" c\\ d", new[] { "/opt/my tools/get", "a \"b\"", "c d" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    public void ShellWords_SplitsLikeAShell(string command, string[] words)
    {
        Assert.Equal(words, CredentialProcess.ShellWords(command));
    }

    [Fact]
    public void CredentialProcessParse_Version1_GivesCredentials()
    {
        var credentials = CredentialProcess.Parse("""{"Version": 1, "AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-11-22T21:00:00Z"}""", "p");

        Assert.Equal(("ASIA", "t", new DateTimeOffset(2026, 11, 22, 21, 0, 0, TimeSpan.Zero)), (credentials.AccessKeyId, credentials.SessionToken, credentials.Expiration!.Value));
    }

    [Theory]
    [InlineData("""{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}""", "unsupported Version")]
    [InlineData("""{"Version": 1, "SecretAccessKey": "s"}""", "no AccessKeyId")]
    [InlineData("oops", "did not print JSON")]
    public void CredentialProcessParse_BadOutput_SaysWhy(string output, string message)
    {
        Assert.Contains(message, Assert.Throws<AuthException>(() => CredentialProcess.Parse(output, "p")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::381494870249:role/infrastructure", "", null, "https://signin.aws.amazon.com/switchrole?account=381494870249&roleName=infrastructure&displayName=dev")]
    [InlineData("arn:aws:iam::381494870249:role/teams/infrastructure", "endpoint_url = http://127.0.0.1:4566/\n", null, "http://127.0.0.1:4566/console/switchrole?account=381494870249&roleName=teams%2Finfrastructure&displayName=dev")]
    [InlineData("arn:aws-cn:iam::381494870249:role/r", "", null, "https://signin.amazonaws.cn/switchrole?account=381494870249&roleName=r&displayName=dev")]
    [InlineData("arn:aws:iam::381494870249:role/r", "", "https://console.example", "https://console.example/switchrole?account=381494870249&roleName=r&displayName=dev")]
    public void ConsoleUrl_ProfileRole_GivesSwitchRoleLink(string roleArn, string extra, string? console, string expected)
    {
        var profiles = ProfileSet.Parse($"[profile dev]\nrole_arn = {roleArn}\nsource_profile = dev\n{extra}", null);

        Assert.Equal(expected, ConsoleUrl.For(profiles, new EnvironmentVariables(new Dictionary<string, string>()), "dev", console, null));
    }

    [Fact]
    public void ConsoleUrl_ProfileWithoutRole_IsAnError()
    {
        var profiles = ProfileSet.Parse("[profile plain]\nregion = eu-west-1\n", null);

        var error = Assert.Throws<AuthException>(() => ConsoleUrl.For(profiles, new EnvironmentVariables(new Dictionary<string, string>()), "plain", null, null));

        Assert.Contains("has no role_arn", error.Message, StringComparison.Ordinal);
    }
}
