using System.Text.Json;
using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Cloudkeep.Auth.Tests;

/// <summary>
/// The seed's access estate on a real server, enough for `cloudkeep auth`: accounts main,
/// development and production; `infrastructure` roles in each and `sops-credentials-access` in
/// main, trusting main with MFA; alice in `admins` (may assume them all) with a virtual MFA device;
/// bob in `developers` (development only). Every test gets a fresh HOME holding the seed's
/// ~/.aws/config (the four profiles, each source_profile = default, mfa_serial, role_arn) and
/// alice's keys in ~/.aws/credentials. The server's clock is fake, twelve minutes behind real time,
/// so each MFA code can come from a later time step (the server refuses a replayed code) while
/// signatures stay within the 15-minute skew.
/// </summary>
public sealed class AuthEstate : IAsyncLifetime
{
    private const string MfaTrustTemplate = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::MAIN:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""";

    private readonly List<TempDirectory> _homes = [];

    internal FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddMinutes(-12));

    internal TestServer Server { get; private set; } = null!;

    internal Dictionary<string, string> Accounts { get; } = [];

    internal Dictionary<string, (string AccessKeyId, string Secret, string Seed, string Serial)> People { get; } = [];

    /// <summary>The built `cloudkeep` next to the tests (a project reference copies it with its runtimeconfig).</summary>
    internal static string CloudkeepDll => Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(time: Clock);
        Accounts["main"] = Server.AccountId;
        foreach (var name in new[] { "development", "production" })
        {
            var status = (await RootAsync("organizations", "create-account", "--email", $"{name}@digitalmarketplace.invalid", "--account-name", name)).GetProperty("CreateAccountStatus");
            var described = (await RootAsync("organizations", "describe-create-account-status", "--create-account-request-id", status.GetProperty("Id").GetString()!)).GetProperty("CreateAccountStatus");
            Accounts[name] = described.GetProperty("AccountId").GetString()!;
        }

        await RootAsync("iam", "create-group", "--group-name", "admins-bootstrap");
        await RootAsync("iam", "attach-group-policy", "--group-name", "admins-bootstrap", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var admin = await CreateUserWithKeyAsync("bootstrap-admin", "admins-bootstrap");
        var trust = MfaTrustTemplate.Replace("MAIN", Accounts["main"], StringComparison.Ordinal);
        foreach (var account in new[] { "development", "production" })
        {
            var session = (await AwsAsync(admin.AccessKeyId, admin.Secret, null, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Accounts[account]}:role/OrganizationAccountAccessRole", "--role-session-name", "bootstrap"))
                .GetProperty("Credentials");
            string[] asMember = [session.GetProperty("AccessKeyId").GetString()!, session.GetProperty("SecretAccessKey").GetString()!, session.GetProperty("SessionToken").GetString()!];
            await AwsAsync(asMember[0], asMember[1], asMember[2], "iam", "create-role", "--role-name", "infrastructure", "--assume-role-policy-document", trust);
        }

        await RootAsync("iam", "create-role", "--role-name", "infrastructure", "--assume-role-policy-document", trust);
        await RootAsync("iam", "attach-role-policy", "--role-name", "infrastructure", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        await RootAsync("iam", "create-role", "--role-name", "sops-credentials-access", "--assume-role-policy-document", trust);
        await CreateGroupAsync("admins", ["arn:aws:iam::*:role/infrastructure", $"arn:aws:iam::{Accounts["main"]}:role/sops-credentials-access"]);
        await CreateGroupAsync("developers", [$"arn:aws:iam::{Accounts["development"]}:role/infrastructure"]);
        await CreatePersonAsync("alice", "admins");
        await CreatePersonAsync("bob", "developers");
    }

    public async Task DisposeAsync()
    {
        foreach (var home in _homes)
        {
            home.Dispose();
        }

        await Server.DisposeAsync();
    }

    internal string Role(string account, string name) => $"arn:aws:iam::{Accounts[account]}:role/{name}";

    /// <summary>A fresh MFA code: the clock moves on a step first, so no code is ever a replay.</summary>
    internal string NextCode(string person = "alice")
    {
        Clock.Advance(TimeSpan.FromSeconds(31));
        return new Totp(Base32Encoding.ToBytes(People[person].Seed)).ComputeTotp(Clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>A new HOME with the seed's profiles for <paramref name="person"/>; <paramref name="extraConfig"/> is appended to ~/.aws/config.</summary>
    internal string NewHome(string person = "alice", string extraConfig = "")
    {
        var home = new TempDirectory("cloudkeep-auth-home-");
        _homes.Add(home);
        var aws = Directory.CreateDirectory(Path.Combine(home.Path, ".aws")).FullName;
        var serial = People[person].Serial;
        File.WriteAllText(Path.Combine(aws, "config"), $"""
            [default]
            region = eu-west-1

            [profile sops]
            source_profile = default
            mfa_serial = {serial}
            role_arn = {Role("main", "sops-credentials-access")}

            [profile development-infrastructure]
            source_profile = default
            mfa_serial = {serial}
            role_arn = {Role("development", "infrastructure")}

            [profile production-infrastructure]
            source_profile = default
            mfa_serial = {serial}
            role_arn = {Role("production", "infrastructure")}

            [profile main-infrastructure]
            source_profile = default
            mfa_serial = {serial}
            role_arn = {Role("main", "infrastructure")}

            """ + extraConfig);
        File.WriteAllText(Path.Combine(aws, "credentials"), $"""
            [default]
            aws_access_key_id = {People[person].AccessKeyId}
            aws_secret_access_key = {People[person].Secret}

            """);
        return home.Path;
    }

    /// <summary>The same environment for running `cloudkeep auth` in-process.</summary>
    internal EnvironmentVariables InProcessEnvironment(string home) =>
        new(Environment(home).Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!));

    /// <summary>The environment a person's shell would have: HOME, the endpoint, and no AWS keys or files of the test runner's.</summary>
    internal Dictionary<string, string?> Environment(string home, string? profile = null) => new()
    {
        ["HOME"] = home,
        ["AWS_PROFILE"] = profile,
        ["AWS_ENDPOINT_URL"] = Server.Endpoint,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_SECURITY_TOKEN"] = null,
        ["AWS_CONFIG_FILE"] = null,
        ["AWS_SHARED_CREDENTIALS_FILE"] = null,
        ["AWS_REGION"] = null,
        ["AWS_DEFAULT_REGION"] = null,
        ["AWS_DEFAULT_PROFILE"] = null,
        ["AWS_CREDENTIAL_EXPIRATION"] = null,
        ["AWS_PAGER"] = "",
        ["AWS_MAX_ATTEMPTS"] = "1",
    };

    /// <summary>Runs the built cloudkeep as a person would, in a session without a terminal (so MFA codes come from stdin).</summary>
    internal Task<ProcessRunner.Result> CloudkeepAsync(string home, string? profile, string? standardInput, params string[] arguments) =>
        ProcessRunner.RunAsync("setsid", ["dotnet", CloudkeepDll, .. arguments], Environment(home, profile), TimeSpan.FromSeconds(90), standardInput ?? "");

    /// <summary>
    /// The real AWS CLI with the same HOME and profiles, without a terminal: getpass then reads the
    /// MFA code from stdin. The CLI takes no region from a source profile, so it gets one here.
    /// </summary>
    internal Task<ProcessRunner.Result> AwsCliAsync(string home, string? profile, string? standardInput, params string[] arguments)
    {
        var environment = Environment(home, profile);
        environment["AWS_DEFAULT_REGION"] = "eu-west-1";
        return ProcessRunner.RunAsync("setsid", ["aws", "--output", "json", .. arguments], environment, TimeSpan.FromSeconds(90), standardInput ?? "");
    }

    private async Task CreateGroupAsync(string name, string[] roles)
    {
        await RootAsync("iam", "create-group", "--group-name", name);
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[] { new { Effect = "Allow", Action = "sts:AssumeRole", Resource = roles } },
        });
        await RootAsync("iam", "put-group-policy", "--group-name", name, "--policy-name", "assume", "--policy-document", policy);
    }

    private async Task CreatePersonAsync(string name, string group)
    {
        var (accessKeyId, secret) = await CreateUserWithKeyAsync(name, group);
        var seedFile = Path.Combine(Path.GetTempPath(), $"cloudkeep-mfa-{Guid.NewGuid():N}");
        var device = (await RootAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", name, "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
        var serial = device.GetProperty("SerialNumber").GetString()!;
        var seed = (await File.ReadAllTextAsync(seedFile)).Trim();
        File.Delete(seedFile);
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var now = Clock.GetUtcNow().UtcDateTime;
        await RootAsync("iam", "enable-mfa-device", "--user-name", name, "--serial-number", serial,
            "--authentication-code1", totp.ComputeTotp(now), "--authentication-code2", totp.ComputeTotp(now.AddSeconds(30)));
        People[name] = (accessKeyId, secret, seed, serial);
        Clock.Advance(TimeSpan.FromSeconds(60));
    }

    private async Task<(string AccessKeyId, string Secret)> CreateUserWithKeyAsync(string name, string group)
    {
        await RootAsync("iam", "create-user", "--user-name", name);
        await RootAsync("iam", "add-user-to-group", "--user-name", name, "--group-name", group);
        var key = (await RootAsync("iam", "create-access-key", "--user-name", name)).GetProperty("AccessKey");
        return (key.GetProperty("AccessKeyId").GetString()!, key.GetProperty("SecretAccessKey").GetString()!);
    }

    private Task<JsonElement> RootAsync(params string[] arguments) => AwsAsync(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, null, arguments);

    private async Task<JsonElement> AwsAsync(string accessKeyId, string secret, string? token, params string[] arguments)
    {
        var result = await AwsCli.RunWithSessionAsync(Server.Endpoint, accessKeyId, secret, token, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput.Trim().Length == 0 ? default : JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
