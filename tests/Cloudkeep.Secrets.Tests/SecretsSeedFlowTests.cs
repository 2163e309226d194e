using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Cloudkeep.Secrets.Tests;

/// <summary>
/// The seed estate's SOPS flow, end to end: a developer whose group may assume
/// <c>sops-credentials-access</c> only with MFA signs in with an MFA code (GetSessionToken, as
/// <c>cloudkeep auth</c> / aws-auth leave them), and the file's KMS entry names key + role
/// (<c>KEY_ARN+ROLE_ARN</c>), so decryption assumes the role, whose policy allows kms
/// Encrypt/Decrypt/GenerateDataKey* on the key. Without MFA the role cannot be assumed; without the
/// role the developer's own identity has no KMS permission. The server runs on a fake clock twelve
/// minutes behind real time, so MFA steps can move time forward within the signature skew.
/// </summary>
public sealed class SecretsSeedFlowTests(SeedFlowFixture fixture) : IClassFixture<SeedFlowFixture>
{
    private const string Plain = "db_password: hunter2\napi_token: t0k3n\n";

    [Fact]
    public async Task SeedFlow_DeveloperWithMfaSession_EncryptsAndDecryptsThroughTheRole()
    {
        using var harness = await fixture.MfaHarnessAsync();
        var encrypted = await harness.EncryptFileAsync("credentials.yaml", Plain, age: null, kms: $"{fixture.KeyArn}+{fixture.RoleArn}");
        Assert.Contains($"        - arn: {fixture.KeyArn}\n          role: {fixture.RoleArn}\n", encrypted, StringComparison.Ordinal);

        var (exit, output, error) = await harness.DecryptAsync(harness.Path("credentials.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(Plain, output);
    }

    [Fact]
    public async Task SeedFlow_DeveloperWithoutMfa_CannotAssumeTheRoleAndGetsNoPlaintext()
    {
        using var harness = await fixture.MfaHarnessAsync();
        await harness.EncryptFileAsync("credentials.yaml", Plain, age: null, kms: $"{fixture.KeyArn}+{fixture.RoleArn}");

        harness.Credentials = new BasicAWSCredentials(fixture.Developer.Id, fixture.Developer.Secret);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("credentials.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        Assert.Contains("failed to assume role", error, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedFlow_EntryWithoutTheRole_IsDeniedToTheDeveloperEvenWithMfa()
    {
        using var harness = await fixture.MfaHarnessAsync();
        var encrypted = await harness.EncryptFileAsync("credentials.yaml", Plain, age: null, kms: $"{fixture.KeyArn}+{fixture.RoleArn}");
        File.WriteAllText(harness.Path("credentials.yaml"), encrypted.Replace($"          role: {fixture.RoleArn}\n", "", StringComparison.Ordinal));

        var (exit, output, error) = await harness.DecryptAsync(harness.Path("credentials.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedFlow_KmsFlagWithAlias_ResolvesThroughTheKeyPolicyAndRole()
    {
        using var harness = await fixture.MfaHarnessAsync();
        var aliasArn = $"arn:aws:kms:eu-west-1:{fixture.Server.AccountId}:alias/sops-credentials";
        var encrypted = await harness.EncryptFileAsync("alias.yaml", Plain, age: null, kms: $"{aliasArn}+{fixture.RoleArn}");
        Assert.Contains($"- arn: {aliasArn}\n", encrypted, StringComparison.Ordinal);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("alias.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(Plain, output);
    }
}

/// <summary>The seed estate's main account, built once for the class: key, alias, role, group, developer with MFA.</summary>
public sealed class SeedFlowFixture : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddMinutes(-12));
    private TestServer _server = null!;

    public TestServer Server => _server;

    public string KeyArn => _keyArn;

    public string RoleArn => _roleArn;

    public (string Id, string Secret) Developer => _developer;
    private string _keyArn = "";
    private string _roleArn = "";
    private (string Id, string Secret) _developer;
    private string _seed = "";
    private string _serial = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(time: _clock);
        using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
        _keyArn = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "sops-credentials (eu-west-1)" })).KeyMetadata.Arn;
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/sops-credentials", TargetKeyId = _keyArn });

        var account = _server.AccountId;
        _roleArn = $"arn:aws:iam::{account}:role/sops-credentials-access";
        var trust = JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{account}:root" }, Action = "sts:AssumeRole" } } });
        await RootAsync("iam", "create-role", "--role-name", "sops-credentials-access", "--assume-role-policy-document", trust);
        var access = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Effect = "Allow", Action = new[] { "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" }, Resource = _keyArn } },
        });
        await RootAsync("iam", "put-role-policy", "--role-name", "sops-credentials-access", "--policy-name", "SOPSCredentialsAccess", "--policy-document", access);

        await RootAsync("iam", "create-group", "--group-name", "Developers");
        var assume = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Effect = "Allow", Action = "sts:AssumeRole", Resource = _roleArn, Condition = new { Bool = new Dictionary<string, string> { ["aws:MultiFactorAuthPresent"] = "true" } } } },
        });
        await RootAsync("iam", "put-group-policy", "--group-name", "Developers", "--policy-name", "assume-sops", "--policy-document", assume);
        await RootAsync("iam", "create-user", "--user-name", "alice");
        await RootAsync("iam", "add-user-to-group", "--user-name", "alice", "--group-name", "Developers");
        var key = (await RootAsync("iam", "create-access-key", "--user-name", "alice")).GetProperty("AccessKey");
        _developer = (key.GetProperty("AccessKeyId").GetString()!, key.GetProperty("SecretAccessKey").GetString()!);

        var seedFile = Path.Combine(Path.GetTempPath(), $"cloudkeep-mfa-{Guid.NewGuid():N}");
        var device = (await RootAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
        _serial = device.GetProperty("SerialNumber").GetString()!;
        _seed = (await File.ReadAllTextAsync(seedFile)).Trim();
        File.Delete(seedFile);
        var totp = new Totp(Base32Encoding.ToBytes(_seed));
        var now = _clock.GetUtcNow().UtcDateTime;
        await RootAsync("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", _serial,
            "--authentication-code1", totp.ComputeTotp(now), "--authentication-code2", totp.ComputeTotp(now.AddSeconds(30)));
        _clock.Advance(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The developer's MFA-bearing session credentials, as a sign-in with an MFA code leaves them.</summary>
    internal async Task<SecretsHarness> MfaHarnessAsync()
    {
        _clock.Advance(TimeSpan.FromSeconds(31));
        var code = new Totp(Base32Encoding.ToBytes(_seed)).ComputeTotp(_clock.GetUtcNow().UtcDateTime);
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(_developer.Id, _developer.Secret),
            new AmazonSecurityTokenServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
        var session = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = _serial, TokenCode = code, DurationSeconds = 900 })).Credentials;
        return new SecretsHarness(
            new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = _server.Endpoint },
            new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken),
            withPgpKeyring: false);
    }

    private async Task<JsonElement> RootAsync(params string[] arguments)
    {
        var result = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput.Trim().Length == 0 ? default : JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
