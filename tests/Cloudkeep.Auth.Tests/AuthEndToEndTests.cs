using System.Text.Json;

namespace Cloudkeep.Auth.Tests;

/// <summary>
/// The built `cloudkeep auth` against a real server with the seed's profiles, run as a process
/// the way people run it (`AWS_PROFILE=development-infrastructure cloudkeep auth -- make plan`),
/// with the real AWS CLI as the child and as the other user of the shared cache.
/// </summary>
[Collection(AuthEstateGroup.Name)]
public sealed class AuthEndToEndTests(AuthEstate estate)
{
    public static TheoryData<string, string, string> SeedProfiles() => new()
    {
        { "sops", "main", "sops-credentials-access" },
        { "development-infrastructure", "development", "infrastructure" },
        { "production-infrastructure", "production", "infrastructure" },
        { "main-infrastructure", "main", "infrastructure" },
    };

    [Theory]
    [MemberData(nameof(SeedProfiles))]
    public async Task Auth_SeedProfile_ChildSeesTheAssumedRole(string profile, string account, string role)
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, profile, null, "auth", "--mfa-code", estate.NextCode(), "--", "aws", "sts", "get-caller-identity", "--output", "json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var identity = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal(estate.Accounts[account], identity.GetProperty("Account").GetString());
        Assert.StartsWith($"arn:aws:sts::{estate.Accounts[account]}:assumed-role/{role}/cloudkeep-", identity.GetProperty("Arn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_MfaCodeOnStdin_IsReadWhenStdinIsNotATerminal()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "development-infrastructure", estate.NextCode() + "\n", "auth", "--", "aws", "sts", "get-caller-identity");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains(":assumed-role/infrastructure/", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_SecondRun_UsesTheCacheWithoutAskingForACode()
    {
        var home = estate.NewHome();
        var first = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--mfa-code", estate.NextCode(), "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID");
        Assert.True(first.ExitCode == 0, first.StandardError);

        // No code and an empty stdin: asking for one would fail.
        var second = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID");

        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        Assert.StartsWith("ASIA", second.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_Child_GetsCredentialsRegionEndpointAndExpiry_WithoutAwsProfile()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "sops", null, "auth", "--mfa-code", estate.NextCode(), "--", "env");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var variables = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        Assert.StartsWith("ASIA", variables["AWS_ACCESS_KEY_ID"], StringComparison.Ordinal);
        Assert.NotEmpty(variables["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal(variables["AWS_SESSION_TOKEN"], variables["AWS_SECURITY_TOKEN"]);
        Assert.Equal("eu-west-1", variables["AWS_REGION"]);
        Assert.Equal("eu-west-1", variables["AWS_DEFAULT_REGION"]);
        Assert.Equal(estate.Server.Endpoint, variables["AWS_ENDPOINT_URL"]);
        Assert.True(DateTimeOffset.Parse(variables["AWS_CREDENTIAL_EXPIRATION"], System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        Assert.False(variables.ContainsKey("AWS_PROFILE"));
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 7", 7)]
    [InlineData("kill -TERM $$", 143)]
    public async Task Auth_ChildExitStatus_PassesThrough(string script, int expected)
    {
        var home = estate.NewHome();
        var filled = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--mfa-code", estate.NextCode(), "--", "true");
        Assert.True(filled.ExitCode == 0, filled.StandardError);

        var result = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--", "sh", "-c", script);

        Assert.Equal(expected, result.ExitCode);
    }

    [Fact]
    public async Task Auth_MfaCodeOnStdin_LeavesTheRestOfStdinToTheChild()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "sops", estate.NextCode() + "\nfor the child\n", "auth", "--", "sh", "-c", "read line; echo \"child read: $line\"");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("child read: for the child", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Auth_SigtermToCloudkeep_IsForwardedToTheChild()
    {
        var home = estate.NewHome();
        var filled = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--mfa-code", estate.NextCode(), "--", "true");
        Assert.True(filled.ExitCode == 0, filled.StandardError);
        var ready = Path.Combine(home, "child-ready");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { AuthEstate.CloudkeepDll, "auth", "--", "sh", "-c", $"trap 'echo got TERM; exit 42' TERM; touch '{ready}'; while true; do sleep 0.1; done" })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in estate.Environment(home, "main-infrastructure"))
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var cloudkeep = System.Diagnostics.Process.Start(info)!;
        var output = cloudkeep.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(ready) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(ready), "the child did not start");
        var kill = await Cloudkeep.Testing.ProcessRunner.RunAsync("kill", ["-TERM", cloudkeep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await cloudkeep.WaitForExitAsync(timeout.Token);

        Assert.Equal(42, cloudkeep.ExitCode);
        Assert.Contains("got TERM", await output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_Duration_SetsHowLongTheRoleSessionLasts()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "sops", null, "auth", "--duration", "15m", "--mfa-code", estate.NextCode(), "--", "sh", "-c", "echo $AWS_CREDENTIAL_EXPIRATION");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var expiration = DateTimeOffset.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((expiration - estate.Clock.GetUtcNow()).TotalSeconds, 890, 905);
    }

    [Fact]
    public async Task Auth_OnATerminal_AsksForTheCode_AndAgainWhenStsRefusesIt()
    {
        var home = estate.NewHome();
        var good = estate.NextCode();
        var wrong = good == "000000" ? "111111" : "000000";
        var command = $"dotnet '{AuthEstate.CloudkeepDll}' auth -- aws sts get-caller-identity --output text --query Arn; echo \"exit=$?\"";
        var info = new System.Diagnostics.ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (var (name, value) in estate.Environment(home, "development-infrastructure"))
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["TERM"] = "dumb";
        using var terminal = new TerminalSession(System.Diagnostics.Process.Start(info)!);

        await terminal.WaitForAsync("Enter MFA code for " + estate.People["alice"].Serial);
        await terminal.TypeAsync(wrong + "\r");
        await terminal.WaitForAsync("That code was refused");
        await terminal.TypeAsync(good + "\r");
        await terminal.WaitForAsync("exit=");
        var transcript = await terminal.WaitForExitAsync();

        Assert.Contains($"arn:aws:sts::{estate.Accounts["development"]}:assumed-role/infrastructure/cloudkeep-", transcript, StringComparison.Ordinal);
        Assert.Contains("exit=0", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(good, transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_CommandNotFound_Exits127()
    {
        var home = estate.NewHome();
        var result = await estate.CloudkeepAsync(home, "main-infrastructure", null, "auth", "--mfa-code", estate.NextCode(), "--", "cloudkeep-no-such-command");

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("cloudkeep-no-such-command: command not found", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_WrongMfaCode_FailsWithStsMessage_AndCachesNothing()
    {
        var home = estate.NewHome();
        var good = estate.NextCode();
        var wrong = good == "000000" ? "111111" : "000000";

        var result = await estate.CloudkeepAsync(home, "development-infrastructure", null, "auth", "--mfa-code", wrong, "--", "true");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("AccessDenied", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("MultiFactorAuthentication failed", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home, ".aws", "cli", "cache")) && Directory.EnumerateFiles(Path.Combine(home, ".aws", "cli", "cache")).Any());
    }

    [Fact]
    public async Task Auth_RoleTheUserMayNotAssume_ShowsAccessDeniedFromSts()
    {
        var home = estate.NewHome("bob");

        var result = await estate.CloudkeepAsync(home, "production-infrastructure", null, "auth", "--mfa-code", estate.NextCode("bob"), "--", "true");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"AssumeRole {estate.Role("production", "infrastructure")} failed: AccessDenied", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("sts:AssumeRole", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_UnknownProfile_ListsTheKnownOnes()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "staging-infrastructure", null, "auth", "--", "true");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("the profile \"staging-infrastructure\" could not be found", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Known profiles: default, development-infrastructure, main-infrastructure, production-infrastructure, sops.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_CacheFiles_AreTheAwsClisNamesAndOwnerOnly()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "sops", null, "auth", "--mfa-code", estate.NextCode(), "--", "true");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var directory = Path.Combine(home, ".aws", "cli", "cache");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var expectedName = Sha1Hex($$"""{"RoleArn": "{{estate.Role("main", "sops-credentials-access")}}", "SerialNumber": "{{estate.People["alice"].Serial}}"}""");
        Assert.Equal(expectedName + ".json", Path.GetFileName(file));
        var cached = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        Assert.StartsWith("ASIA", cached.GetProperty("Credentials").GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("UTC", cached.GetProperty("Credentials").GetProperty("Expiration").GetString(), StringComparison.Ordinal);
        Assert.Contains(":assumed-role/sops-credentials-access/", cached.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsCli_ReusesTheCacheCloudkeepFilled_WithoutAskingForACode()
    {
        var home = estate.NewHome();
        var filled = await estate.CloudkeepAsync(home, "development-infrastructure", null, "auth", "--mfa-code", estate.NextCode(), "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID");
        Assert.True(filled.ExitCode == 0, filled.StandardError);

        // stdin is empty: had the AWS CLI asked for a code, getpass would have failed.
        var result = await estate.AwsCliAsync(home, "development-infrastructure", null, "sts", "get-caller-identity");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"arn:aws:sts::{estate.Accounts["development"]}:assumed-role/infrastructure/cloudkeep-", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cloudkeep_ReusesTheCacheTheAwsCliFilled_WithoutAskingForACode()
    {
        var home = estate.NewHome();
        var filled = await estate.AwsCliAsync(home, "production-infrastructure", estate.NextCode() + "\n", "sts", "get-caller-identity");
        Assert.True(filled.ExitCode == 0, filled.StandardError);

        var result = await estate.CloudkeepAsync(home, "production-infrastructure", null, "auth", "--", "aws", "sts", "get-caller-identity");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"arn:aws:sts::{estate.Accounts["production"]}:assumed-role/infrastructure/botocore-session-", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_PrintsShellLines_ThatAShellCanEval()
    {
        var home = estate.NewHome();
        var result = await estate.CloudkeepAsync(home, "sops", null, "auth", "--export", "--mfa-code", estate.NextCode());
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("export AWS_ACCESS_KEY_ID='ASIA", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unset AWS_PROFILE", result.StandardOutput, StringComparison.Ordinal);

        var script = result.StandardOutput + "\naws sts get-caller-identity --output text --query Arn\n";
        var evaluated = await Cloudkeep.Testing.ProcessRunner.RunAsync("sh", ["-c", script], estate.Environment(home, "sops"));

        Assert.True(evaluated.ExitCode == 0, evaluated.StandardError);
        Assert.StartsWith($"arn:aws:sts::{estate.Accounts["main"]}:assumed-role/sops-credentials-access/", evaluated.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialProcess_ServesTheAwsCli_ThroughAProfile()
    {
        var home = estate.NewHome(extraConfig: $"""

            [profile via-cloudkeep]
            credential_process = dotnet {AuthEstate.CloudkeepDll} auth --credential-process --profile main-infrastructure
            region = eu-west-1

            """);
        var filled = await estate.CloudkeepAsync(home, null, null, "auth", "--credential-process", "--profile", "main-infrastructure", "--mfa-code", estate.NextCode());
        Assert.True(filled.ExitCode == 0, filled.StandardError);
        var json = JsonDocument.Parse(filled.StandardOutput).RootElement;
        Assert.Equal(1, json.GetProperty("Version").GetInt32());
        Assert.StartsWith("ASIA", json.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.NotNull(json.GetProperty("SessionToken").GetString());
        Assert.NotNull(json.GetProperty("Expiration").GetString());

        var result = await estate.AwsCliAsync(home, "via-cloudkeep", null, "sts", "get-caller-identity");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"arn:aws:sts::{estate.Accounts["main"]}:assumed-role/infrastructure/cloudkeep-", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearCache_WithProfile_RemovesItsEntry_SoTheNextRunAsksAgain()
    {
        var home = estate.NewHome();
        var filled = await estate.CloudkeepAsync(home, null, null, "auth", "--profile", "sops", "--mfa-code", estate.NextCode(), "--", "true");
        Assert.True(filled.ExitCode == 0, filled.StandardError);

        var cleared = await estate.CloudkeepAsync(home, null, null, "auth", "--clear-cache", "--profile", "sops");
        var again = await estate.CloudkeepAsync(home, null, null, "auth", "--profile", "sops", "--", "true");

        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("removed 1 cached credential file", cleared.StandardError, StringComparison.Ordinal);
        Assert.Equal(255, again.ExitCode);
        Assert.Contains("an MFA code is needed for", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleUrl_SeedProfile_PointsAtTheEndpointsConsole()
    {
        var home = estate.NewHome();

        var result = await estate.CloudkeepAsync(home, "development-infrastructure", null, "console-url");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{estate.Server.Endpoint}/console/switchrole?account={estate.Accounts["development"]}&roleName=infrastructure&displayName=development-infrastructure", result.StandardOutput.Trim());
    }

    private static string Sha1Hex(string text) =>
#pragma warning disable CA5350 // The AWS CLI's cache file name, not a protection.
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
}
