using System.Security.Cryptography;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using Cloudkeep.Server.Tests.Kms;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;
using OtpNet;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// A server on a temp data directory that makes an object, a user with a used access key, a KMS ciphertext and an
/// MFA device, is disposed, and is started again on the same directory with the same master key. The tests look
/// at what the second server holds.
/// </summary>
public sealed class RestartedServerEstate : IAsyncLifetime
{
    public const string Bucket = "kept-across-restart";
    public const string ObjectKey = "notes/kept.txt";
    public const string ObjectBody = "written before the restart";
    public const string UserName = "keeper";
    public static readonly byte[] Plaintext = "sealed before the restart"u8.ToArray();
    public static readonly Dictionary<string, string> EncryptionContext = new() { ["purpose"] = "restart" };

    private readonly TempDirectory _data = new();
    private readonly string _masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public ShiftableClock Clock { get; } = new();

    public TestServer Server { get; private set; } = null!;

    public Cli User { get; private set; } = null!;

    public string UserArnBefore { get; private set; } = "";

    public byte[] Ciphertext { get; private set; } = [];

    public string MfaSerial { get; private set; } = "";

    public string MfaSeed { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using (var first = await TestServer.StartAsync(dataDirectory: _data.Path, masterKey: _masterKey, time: Clock))
        {
            using var s3 = S3Clients.Root(first);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = ObjectKey, ContentBody = ObjectBody });

            var root = Cli.Root(first);
            User = await root.CreateUserWithKeyAsync(UserName);
            UserArnBefore = (await User.RunAsync("sts", "get-caller-identity")).GetProperty("Arn").GetString()!;

            using var kms = KmsClients.Kms(first);
            var key = await kms.NewKeyAsync("kept across restart");
            Ciphertext = (await kms.EncryptAsync(key.KeyId, Plaintext, EncryptionContext)).ToArray();

            var seedFile = Path.Combine(_data.Path, "mfa-seed");
            var device = (await root.RunAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", UserName, "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
            MfaSerial = device.GetProperty("SerialNumber").GetString()!;
            MfaSeed = (await File.ReadAllTextAsync(seedFile)).Trim();
            var totp = new Totp(Base32Encoding.ToBytes(MfaSeed));
            var now = Clock.GetUtcNow().UtcDateTime;
            await root.RunAsync("iam", "enable-mfa-device", "--user-name", UserName, "--serial-number", MfaSerial,
                "--authentication-code1", totp.ComputeTotp(now), "--authentication-code2", totp.ComputeTotp(now.AddSeconds(30)));
        }

        // The enabling codes used this step and the next; a later code must come from a later step.
        Clock.Offset = TimeSpan.FromSeconds(90);
        Server = await TestServer.StartAsync(dataDirectory: _data.Path, masterKey: _masterKey, time: Clock);
        User = User with { Endpoint = Server.Endpoint };
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>What a server wrote is there, and works, after it is stopped and started again on the same data.</summary>
public sealed class PersistenceTests(RestartedServerEstate estate) : IClassFixture<RestartedServerEstate>
{
    [Fact]
    public async Task Object_AfterRestart_ReadsBackTheSameBytes()
    {
        using var s3 = S3Clients.Root(estate.Server);
        using var stored = await s3.GetObjectAsync(RestartedServerEstate.Bucket, RestartedServerEstate.ObjectKey);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal(RestartedServerEstate.ObjectBody, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task AccessKey_AfterRestart_StillSignsAsTheSameUser()
    {
        var identity = await estate.User.RunAsync("sts", "get-caller-identity");
        Assert.Equal(estate.UserArnBefore, identity.GetProperty("Arn").GetString());
        var keys = await Cli.Root(estate.Server).RunAsync("iam", "list-access-keys", "--user-name", RestartedServerEstate.UserName);
        Assert.Equal([estate.User.AccessKeyId], keys.GetProperty("AccessKeyMetadata").EnumerateArray().Select(k => k.GetProperty("AccessKeyId").GetString()));
    }

    [Fact]
    public async Task KmsCiphertext_AfterRestart_Decrypts()
    {
        using var kms = KmsClients.Kms(estate.Server);
        var plaintext = await kms.DecryptAsync(new MemoryStream(estate.Ciphertext), RestartedServerEstate.EncryptionContext);
        Assert.Equal(RestartedServerEstate.Plaintext, plaintext);
    }

    [Fact]
    public async Task MfaDevice_AfterRestart_IsListedAndItsCodesStillWork()
    {
        var devices = await Cli.Root(estate.Server).RunAsync("iam", "list-mfa-devices", "--user-name", RestartedServerEstate.UserName);
        Assert.Equal([estate.MfaSerial], devices.GetProperty("MFADevices").EnumerateArray().Select(d => d.GetProperty("SerialNumber").GetString()));

        using var sts = StsClients.Sts(estate.Server, estate.User.AccessKeyId, estate.User.SecretAccessKey);
        var code = new Totp(Base32Encoding.ToBytes(estate.MfaSeed)).ComputeTotp(estate.Clock.GetUtcNow().UtcDateTime);
        var session = await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = estate.MfaSerial, TokenCode = code });
        Assert.NotNull(session.Credentials.SessionToken);
        var wrong = await Assert.ThrowsAnyAsync<Amazon.SecurityToken.AmazonSecurityTokenServiceException>(() =>
            sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = estate.MfaSerial, TokenCode = code == "000000" ? "111111" : "000000" }));
        Assert.Equal("AccessDenied", wrong.ErrorCode);
    }
}
