using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Cloudkeep.Server.Tests.Seed;

/// <summary>
/// The seed's estate ("AWS accounts and access"): accounts main, development, production and backups;
/// users in groups in main; `infrastructure` roles in main, development and production and
/// `sops-credentials-access` in main, trusting main and requiring MFA. A group may assume a role only
/// when both main's identity policy and the role's trust policy allow it. IAM and Organizations are
/// driven with the AWS CLI, STS with the AWS SDK for .NET, MFA codes with Otp.NET.
/// The server runs on a fake clock (set twelve minutes behind real time, so clients' signatures stay
/// within the 15-minute skew while the test moves time forward for MFA steps and expiry).
/// </summary>
public sealed class SeedEstate : IAsyncLifetime
{
    private const string MfaTrustTemplate = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::MAIN:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""";

    internal readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow.AddMinutes(-12));
    internal TestServer Server = null!;
    internal Cli Root = null!;
    internal readonly Dictionary<string, string> Accounts = [];
    internal readonly Dictionary<string, (Cli Cli, string Seed, string Serial)> People = [];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(time: Clock);
        Root = Cli.Root(Server);
        Accounts["main"] = Server.AccountId;
        foreach (var name in new[] { "development", "production", "backups" })
        {
            var status = (await Root.RunAsync("organizations", "create-account", "--email", $"{name}@digitalmarketplace.invalid", "--account-name", name)).GetProperty("CreateAccountStatus");
            var described = (await Root.RunAsync("organizations", "describe-create-account-status", "--create-account-request-id", status.GetProperty("Id").GetString()!)).GetProperty("CreateAccountStatus");
            Assert.Equal("SUCCEEDED", described.GetProperty("State").GetString());
            Accounts[name] = described.GetProperty("AccountId").GetString()!;
        }

        // An administrator in main reaches each member account through OrganizationAccountAccessRole.
        await Root.RunAsync("iam", "create-group", "--group-name", "admins-bootstrap");
        await Root.RunAsync("iam", "attach-group-policy", "--group-name", "admins-bootstrap", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var admin = await Root.CreateUserWithKeyAsync("bootstrap-admin", "admins-bootstrap");
        var trust = MfaTrustTemplate.Replace("MAIN", Accounts["main"], StringComparison.Ordinal);
        foreach (var account in new[] { "development", "production" })
        {
            var session = await AssumeAsync(admin, $"arn:aws:iam::{Accounts[account]}:role/OrganizationAccountAccessRole", "bootstrap");
            var inMember = new Cli(Server.Endpoint, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
            await inMember.RunAsync("iam", "create-role", "--role-name", "infrastructure", "--assume-role-policy-document", trust);
            await inMember.RunAsync("iam", "attach-role-policy", "--role-name", "infrastructure", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        }

        await Root.RunAsync("iam", "create-role", "--role-name", "infrastructure", "--assume-role-policy-document", trust);
        await Root.RunAsync("iam", "attach-role-policy", "--role-name", "infrastructure", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        await Root.RunAsync("iam", "create-role", "--role-name", "sops-credentials-access", "--assume-role-policy-document", trust);

        // Groups in main: what each may assume (the identity side).
        await CreateGroupAsync("admins", [$"arn:aws:iam::*:role/infrastructure", $"arn:aws:iam::{Accounts["main"]}:role/sops-credentials-access"]);
        await CreateGroupAsync("developers", [$"arn:aws:iam::{Accounts["development"]}:role/infrastructure"]);
        await CreateGroupAsync("everything", ["*"]);

        await CreatePersonAsync("alice", "admins");
        await CreatePersonAsync("bob", "developers");
        await CreatePersonAsync("carol", "everything");
        var dave = await Root.CreateUserWithKeyAsync("dave", "admins");
        People["dave"] = (dave, "", $"arn:aws:iam::{Accounts["main"]}:mfa/dave");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private async Task CreateGroupAsync(string name, string[] roles)
    {
        await Root.RunAsync("iam", "create-group", "--group-name", name);
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[] { new { Effect = "Allow", Action = "sts:AssumeRole", Resource = roles } },
        });
        await Root.RunAsync("iam", "put-group-policy", "--group-name", name, "--policy-name", "assume", "--policy-document", policy);
    }

    private async Task CreatePersonAsync(string name, string group)
    {
        var cli = await Root.CreateUserWithKeyAsync(name, group);
        // The CLI writes the seed to a file, as a person would set up an authenticator.
        var seedFile = Path.Combine(Path.GetTempPath(), $"cloudkeep-mfa-{Guid.NewGuid():N}");
        var device = (await Root.RunAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", name, "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
        var serial = device.GetProperty("SerialNumber").GetString()!;
        var seed = (await File.ReadAllTextAsync(seedFile)).Trim();
        File.Delete(seedFile);
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var now = Clock.GetUtcNow().UtcDateTime;
        await Root.RunAsync("iam", "enable-mfa-device", "--user-name", name, "--serial-number", serial,
            "--authentication-code1", totp.ComputeTotp(now), "--authentication-code2", totp.ComputeTotp(now.AddSeconds(30)));
        People[name] = (cli, seed, serial);

        // The enabling codes used this step and the next; later codes must come from later steps.
        Clock.Advance(TimeSpan.FromSeconds(60));
    }

    /// <summary>A fresh MFA code: the clock moves on a step so no code is ever reused by accident.</summary>
    internal string NextCode(string person)
    {
        Clock.Advance(TimeSpan.FromSeconds(31));
        return new Totp(Base32Encoding.ToBytes(People[person].Seed)).ComputeTotp(Clock.GetUtcNow().UtcDateTime);
    }

    internal AmazonSecurityTokenServiceClient Sts(Cli cli) =>
        new(new SessionAWSCredentialsOrBasic(cli).Credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

    internal async Task<Credentials> AssumeAsync(Cli cli, string roleArn, string session, string? serial = null, string? code = null, int? duration = null)
    {
        using var sts = Sts(cli);
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = session, SerialNumber = serial, TokenCode = code, DurationSeconds = duration });
        return response.Credentials;
    }

    internal string Role(string account, string name) => $"arn:aws:iam::{Accounts[account]}:role/{name}";

    /// <summary>Credentials for the .NET SDK from a CLI identity (long-term or session).</summary>
    internal sealed class SessionAWSCredentialsOrBasic(Cli cli)
    {
        public AWSCredentials Credentials { get; } = cli.SessionToken is null
            ? new BasicAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey)
            : new SessionAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey, cli.SessionToken);
    }
}
