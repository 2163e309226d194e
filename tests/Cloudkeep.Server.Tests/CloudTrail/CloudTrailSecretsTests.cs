using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>
/// No secret reaches a recorded event: every operation that takes or returns one is called through
/// the AWS CLI, then every stored record (management and data, every account and region) is searched
/// for each secret, and the redacted members are checked to say so.
/// </summary>
public sealed class CloudTrailSecretsTests(CloudTrailFixture fixture) : IClassFixture<CloudTrailFixture>
{
    [Fact]
    public async Task EverySecretBearingOperation_LeavesNoSecretInAnyEvent()
    {
        var root = fixture.Root;
        var account = fixture.Server.AccountId;
        var secrets = new List<string>();
        using var temp = new TempDirectory();

        // CreateAccessKey answers a secret access key.
        var user = await root.CreateUserWithKeyAsync("secret-keeper");
        secrets.Add(user.SecretAccessKey);
        await root.RunAsync("iam", "put-user-policy", "--user-name", "secret-keeper", "--policy-name", "all", "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");

        // Passwords: CreateLoginProfile, UpdateLoginProfile, ChangePassword (old and new).
        const string first = "First-Pa55word-Zq81!";
        const string second = "Second-Pa55word-Xk27!";
        const string third = "Third-Pa55word-Wm36!";
        secrets.AddRange([first, second, third]);
        await root.RunAsync("iam", "create-login-profile", "--user-name", "secret-keeper", "--password", first, "--no-password-reset-required");
        await root.RunAsync("iam", "update-login-profile", "--user-name", "secret-keeper", "--password", second);
        await user.RunAsync("iam", "change-password", "--old-password", second, "--new-password", third);

        // STS: GetSessionToken and AssumeRole answer secret keys and session tokens.
        var session = (await user.RunAsync("sts", "get-session-token")).GetProperty("Credentials");
        secrets.Add(session.GetProperty("SecretAccessKey").GetString()!);
        secrets.Add(session.GetProperty("SessionToken").GetString()!);
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:user/secret-keeper"},"Action":"sts:AssumeRole"}]}""";
        await root.RunAsync("iam", "create-role", "--role-name", "secret-role", "--assume-role-policy-document", trust);
        var assumed = (await user.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{account}:role/secret-role", "--role-session-name", "secret-session")).GetProperty("Credentials");
        secrets.Add(assumed.GetProperty("SecretAccessKey").GetString()!);
        secrets.Add(assumed.GetProperty("SessionToken").GetString()!);

        // KMS: plaintexts in and out.
        var keyId = (await root.RunAsync("kms", "create-key")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        var plaintext = "kms-plaintext-never-recorded-4417";
        var plainFile = Path.Combine(temp.Path, "plain");
        await File.WriteAllTextAsync(plainFile, plaintext);
        secrets.Add(plaintext);
        secrets.Add(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext)));
        var ciphertext = (await root.RunAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://" + plainFile)).GetProperty("CiphertextBlob").GetString()!;
        var cipherFile = Path.Combine(temp.Path, "cipher");
        await File.WriteAllBytesAsync(cipherFile, Convert.FromBase64String(ciphertext));
        var decrypted = (await root.RunAsync("kms", "decrypt", "--ciphertext-blob", "fileb://" + cipherFile)).GetProperty("Plaintext").GetString()!;
        secrets.Add(decrypted);
        var dataKey = (await root.RunAsync("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256")).GetProperty("Plaintext").GetString()!;
        secrets.Add(dataKey);

        // A virtual MFA device's seed.
        var seedFile = Path.Combine(temp.Path, "seed");
        await root.RunAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "secret-device", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed");
        secrets.Add((await File.ReadAllTextAsync(seedFile)).Trim());

        // Everything above is stored once GenerateDataKey's event is.
        await CloudTrailFixture.WaitForEventAsync(root, "us-east-1", "EventName", "CreateVirtualMFADevice");
        await CloudTrailFixture.WaitForEventAsync(root, "eu-west-1", "EventName", "GenerateDataKey");
        var records = fixture.AllRecords();
        Assert.NotEmpty(records);
        foreach (var secret in secrets)
        {
            Assert.True(secret.Length >= 16, "a secret too short to search for meaningfully");
            Assert.DoesNotContain(records, r => r.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(records, r => r.Contains(JsonSerializer.Serialize(secret)[1..^1], StringComparison.Ordinal));
        }

        var loginProfile = records.Select(r => JsonDocument.Parse(r).RootElement).First(r => r.GetProperty("eventName").GetString() == "CreateLoginProfile");
        Assert.Equal("HIDDEN_DUE_TO_SECURITY_REASONS", loginProfile.GetProperty("requestParameters").GetProperty("password").GetString());
        var createKey = records.Select(r => JsonDocument.Parse(r).RootElement).First(r => r.GetProperty("eventName").GetString() == "CreateAccessKey" && r.GetProperty("requestParameters").GetProperty("userName").GetString() == "secret-keeper");
        Assert.Equal(user.AccessKeyId, createKey.GetProperty("responseElements").GetProperty("accessKey").GetProperty("accessKeyId").GetString());
    }
}
