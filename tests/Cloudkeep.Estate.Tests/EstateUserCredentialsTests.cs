using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Cloudkeep.Estate.Tests;

/// <summary>accessKey: true writes a working key to the secrets file only; mfaRequired: true denies MFA-less sessions everything but MFA set-up.</summary>
public sealed class EstateUserCredentialsTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            groups:
              readers:
                inlinePolicies:
                  list:
                    Version: "2012-10-17"
                    Statement:
                      - {Effect: Allow, Action: "s3:ListAllMyBuckets", Resource: "*"}
                      - Effect: Allow
                        Action: ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"]
                        Resource: ["arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::*:user/${aws:username}"]
            users:
              alice:
                groups: [readers]
                accessKey: true
                mfaRequired: true
        """;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddMinutes(-12));
    private string _file = "";

    protected override TimeProvider? Time => _clock;

    protected override Task SetUpAsync()
    {
        _file = Harness.Write("estate.yaml", Estate);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Apply_AccessKey_IsWrittenOnlyToTheSecretsFileAndWorks()
    {
        var (exit, output, error) = await Harness.ApplyAsync(_file);

        Assert.True(exit == 0, output + error);
        var (id, secret) = ReadKey();
        Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
        Assert.Contains("1 secret(s) written to", output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file + ".secrets.yaml"));
        }

        using var sts = Sts(new BasicAWSCredentials(id, secret));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.EndsWith(":user/alice", identity.Arn, StringComparison.Ordinal);

        // A second apply makes no second key; turning it off deletes the key.
        Assert.Contains("No changes", (await Harness.ApplyAsync(_file)).Output, StringComparison.Ordinal);
        var off = await Harness.ApplyAsync(Harness.Write("off.yaml", Estate.Replace("accessKey: true", "accessKey: false", StringComparison.Ordinal)));
        Assert.True(off.Exit == 0, off.Output + off.Error);
        var refused = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", refused.ErrorCode);
    }

    [Fact]
    public async Task Apply_MfaRequired_DeniesSessionsWithoutMfaButNotWithIt()
    {
        var apply = await Harness.ApplyAsync(_file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var (id, secret) = ReadKey();
        var keys = new BasicAWSCredentials(id, secret);

        // Long-term keys: the MFA key is absent, so the group's policy decides.
        using (var s3 = S3(keys))
        {
            await s3.ListBucketsAsync();
        }

        using var sts = Sts(keys);
        var plain = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 })).Credentials;
        using (var s3 = S3(new SessionAWSCredentials(plain.AccessKeyId, plain.SecretAccessKey, plain.SessionToken)))
        {
            var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
            Assert.Equal("AccessDenied", denied.ErrorCode);
        }

        // The user may still set up MFA without it, and a session with MFA is let through.
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(Server.Endpoint), new SessionAWSCredentials(plain.AccessKeyId, plain.SecretAccessKey, plain.SessionToken), _clock);
        var device = await iam.CallAsync("CreateVirtualMFADevice", [new("VirtualMFADeviceName", "alice")], CancellationToken.None);
        var serial = IamClient.Descendant(device, "SerialNumber")!;
        var seed = Base32Encoding.ToBytes(Encoding.ASCII.GetString(Convert.FromBase64String(IamClient.Descendant(device, "Base32StringSeed")!)));
        var totp = new Totp(seed);
        var now = _clock.GetUtcNow().UtcDateTime;
        await iam.CallAsync("EnableMFADevice", [new("UserName", "alice"), new("SerialNumber", serial), new("AuthenticationCode1", totp.ComputeTotp(now)), new("AuthenticationCode2", totp.ComputeTotp(now.AddSeconds(30)))], CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(90));
        var withMfa = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900, SerialNumber = serial, TokenCode = totp.ComputeTotp(_clock.GetUtcNow().UtcDateTime) })).Credentials;
        using (var s3 = S3(new SessionAWSCredentials(withMfa.AccessKeyId, withMfa.SecretAccessKey, withMfa.SessionToken)))
        {
            await s3.ListBucketsAsync();
        }

        Assert.Equal(0, (await Harness.PlanAsync(_file)).Exit);
        var export = await Harness.ExportAsync();
        Assert.Contains("mfaRequired: true", export.Output, StringComparison.Ordinal);
        Assert.Contains("accessKey: true", export.Output, StringComparison.Ordinal);
    }

    private (string Id, string Secret) ReadKey()
    {
        var line = File.ReadAllLines(_file + ".secrets.yaml").Single(l => l.Contains("accessKeyId", StringComparison.Ordinal));
        string Value(string name) => line[(line.IndexOf($"{name}: '", StringComparison.Ordinal) + name.Length + 3)..].Split('\'')[0];
        return (Value("accessKeyId"), Value("secretAccessKey"));
    }

    private AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-2", MaxErrorRetry = 0 });

    private AmazonS3Client S3(AWSCredentials credentials) =>
        new(credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-2", MaxErrorRetry = 0 });
}
