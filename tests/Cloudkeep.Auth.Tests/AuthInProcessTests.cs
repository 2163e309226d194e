
namespace Cloudkeep.Auth.Tests;

/// <summary>
/// `cloudkeep auth` driven in-process against the real server, where a test must play the terminal
/// (typing codes) or look at what the child would be given.
/// </summary>
[Collection(AuthEstateGroup.Name)]
public sealed class AuthInProcessTests(AuthEstate estate)
{
    private sealed record Child(string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment);

    [Fact]
    public async Task Auth_WrongCodeOnATerminal_AsksAgain_AndTheNextCodeWorks()
    {
        var home = estate.NewHome();
        var good = estate.NextCode();
        var typed = new Queue<string>([good == "000000" ? "111111" : "000000", good]);
        var prompts = new List<string>();
        var (exitCode, child, stderr) = await RunAsync(home, new MfaPrompt(null, interactive: true, prompt => { prompts.Add(prompt); return typed.Dequeue(); }), "main-infrastructure");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(2, prompts.Count);
        Assert.Contains("That code was refused", prompts[1], StringComparison.Ordinal);
        Assert.StartsWith("ASIA", child!.Environment["AWS_ACCESS_KEY_ID"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_ThreeWrongCodesOnATerminal_GivesUpWithStsMessage()
    {
        var home = estate.NewHome();
        var good = estate.NextCode();
        var wrong = good == "000000" ? "111111" : "000000";
        var prompts = 0;
        var (exitCode, child, stderr) = await RunAsync(home, new MfaPrompt(null, interactive: true, _ => { prompts++; return wrong; }), "main-infrastructure");

        Assert.Equal(255, exitCode);
        Assert.Null(child);
        Assert.Equal(MfaPrompt.TerminalAttempts, prompts);
        Assert.Contains("AccessDenied: MultiFactorAuthentication failed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_RoleChain_AssumesEachStep_AndCachesBoth()
    {
        var home = estate.NewHome(extraConfig: $"""

            [profile development-admin]
            source_profile = main-infrastructure
            role_arn = {estate.Role("development", "OrganizationAccountAccessRole")}

            """);
        var prompts = 0;
        var code = estate.NextCode();
        var (exitCode, child, stderr) = await RunAsync(home, new MfaPrompt(null, interactive: true, _ => { prompts++; return code; }), "development-admin", "aws", "sts", "get-caller-identity");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(1, prompts);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(home, ".aws", "cli", "cache")).Length);
        var identity = await Cloudkeep.Testing.ProcessRunner.RunAsync(child!.Command, child.Arguments, child.Environment);
        Assert.True(identity.ExitCode == 0, identity.StandardError);
        Assert.Contains($"arn:aws:sts::{estate.Accounts["development"]}:assumed-role/OrganizationAccountAccessRole/cloudkeep-", identity.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_MfaSerialWithoutRole_GetsAnMfaSessionForTheUser()
    {
        var home = estate.NewHome(extraConfig: $"""

            [profile alice-mfa]
            aws_access_key_id = {estate.People["alice"].AccessKeyId}
            aws_secret_access_key = {estate.People["alice"].Secret}
            mfa_serial = {estate.People["alice"].Serial}

            """);
        var code = estate.NextCode();
        var (exitCode, child, stderr) = await RunAsync(home, new MfaPrompt(code, interactive: false, _ => null), "alice-mfa", "aws", "sts", "get-caller-identity");

        Assert.True(exitCode == 0, stderr);
        Assert.NotNull(child!.Environment["AWS_SESSION_TOKEN"]);
        var identity = await Cloudkeep.Testing.ProcessRunner.RunAsync(child.Command, child.Arguments, child.Environment);
        Assert.True(identity.ExitCode == 0, identity.StandardError);
        Assert.Contains($"arn:aws:iam::{estate.Accounts["main"]}:user/alice", identity.StandardOutput, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(home, ".aws", "cli", "cache")));
    }

    [Fact]
    public async Task Auth_EnvironmentKeysAndAwsProfile_UsesTheKeysAndSaysSo()
    {
        var home = estate.NewHome();
        var environment = new Dictionary<string, string>(estate.InProcessEnvironment(home).Values)
        {
            ["AWS_PROFILE"] = "sops",
            ["AWS_ACCESS_KEY_ID"] = estate.People["alice"].AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = estate.People["alice"].Secret,
        };
        var (exitCode, child, stderr) = await RunAsync(new EnvironmentVariables(environment), home, new MfaPrompt(null, interactive: false, _ => null), null, ["true"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(estate.People["alice"].AccessKeyId, child!.Environment["AWS_ACCESS_KEY_ID"]);
        Assert.Contains("take precedence over AWS_PROFILE=sops", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_EndpointFromServicesSection_ReachesStsThere_AndChildGetsTheProfilesEndpoint()
    {
        var home = estate.NewHome(extraConfig: $$"""

            [profile local-sops]
            source_profile = default
            mfa_serial = {{estate.People["alice"].Serial}}
            role_arn = {{estate.Role("main", "sops-credentials-access")}}
            endpoint_url = http://127.0.0.1:9
            services = local

            [services local]
            sts =
              endpoint_url = {{estate.Server.Endpoint}}

            """);
        var environment = new Dictionary<string, string>(estate.InProcessEnvironment(home).Values);
        environment.Remove("AWS_ENDPOINT_URL");

        var (exitCode, child, stderr) = await RunAsync(new EnvironmentVariables(environment), home, new MfaPrompt(estate.NextCode(), interactive: false, _ => null), "local-sops", ["true"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("http://127.0.0.1:9", child!.Environment["AWS_ENDPOINT_URL"]);
    }

    [Fact]
    public async Task Auth_CredentialSourceEnvironment_AssumesTheRoleWithTheEnvironmentsKeys()
    {
        var home = estate.NewHome(extraConfig: $"""

            [profile from-environment]
            credential_source = Environment
            mfa_serial = {estate.People["alice"].Serial}
            role_arn = {estate.Role("main", "infrastructure")}

            """);
        var environment = new Dictionary<string, string>(estate.InProcessEnvironment(home).Values)
        {
            ["AWS_ACCESS_KEY_ID"] = estate.People["alice"].AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = estate.People["alice"].Secret,
        };

        var (exitCode, child, stderr) = await RunAsync(new EnvironmentVariables(environment), home, new MfaPrompt(estate.NextCode(), interactive: false, _ => null), "from-environment", ["aws", "sts", "get-caller-identity"]);

        Assert.True(exitCode == 0, stderr);
        var identity = await Cloudkeep.Testing.ProcessRunner.RunAsync(child!.Command, child.Arguments, child.Environment);
        Assert.True(identity.ExitCode == 0, identity.StandardError);
        Assert.Contains($"arn:aws:sts::{estate.Accounts["main"]}:assumed-role/infrastructure/cloudkeep-", identity.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_CacheThatCannotBeWritten_WarnsAndStillRunsTheCommand()
    {
        var home = estate.NewHome();
        File.WriteAllText(Path.Combine(home, "not-a-directory"), "");
        var (exitCode, child, stderr) = await RunAsync(estate.InProcessEnvironment(home), home, new MfaPrompt(estate.NextCode(), interactive: false, _ => null), "sops", ["true"],
            cacheDirectory: Path.Combine(home, "not-a-directory", "cache"));

        Assert.True(exitCode == 0, stderr);
        Assert.NotNull(child);
        Assert.Contains("warning: the credentials could not be cached", stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, Child? Child, string Stderr)> RunAsync(string home, MfaPrompt mfa, string? profile, params string[] command) =>
        RunAsync(estate.InProcessEnvironment(home), home, mfa, profile, command);

    private static async Task<(int ExitCode, Child? Child, string Stderr)> RunAsync(EnvironmentVariables environment, string home, MfaPrompt mfa, string? profile, string[] command, string? cacheDirectory = null)
    {
        Child? child = null;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var runner = new AuthRunner(environment, TimeProvider.System, stdout, stderr, mfa)
        {
            CacheDirectory = cacheDirectory ?? Path.Combine(home, ".aws", "cli", "cache"),
            RunChild = (name, arguments, variables) =>
            {
                // The child's environment is the test runner's plus these changes.
                var full = new Dictionary<string, string?>(environment.Values.ToDictionary(v => v.Key, v => (string?)v.Value));
                foreach (var (key, value) in variables)
                {
                    full[key] = value;
                }

                child = new Child(name, arguments, full);
                return Task.FromResult(0);
            },
        };
        var options = new AuthOptions(profile, null, null, false, false, false, command.Length == 0 ? ["true"] : command);
        var exitCode = await runner.RunAsync(options, CancellationToken.None);
        return (exitCode, child, stderr.ToString());
    }
}
