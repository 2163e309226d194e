using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;
using Cloudkeep.Testing;
using OtpNet;

namespace Cloudkeep.Admin.Tests;

/// <summary>
/// What a restored estate must still answer: a user's access key, a KMS ciphertext, a user's virtual MFA device and
/// a versioned bucket whose versions are inline and blob-backed. <see cref="CheckAsync"/> asks a (restored) server.
/// </summary>
internal sealed class EstateSeed
{
    public const string VersionedBucket = "estate-versions";

    private EstateSeed(string userArn, BasicAWSCredentials userKey, string mfaSerial, byte[] mfaSeed, byte[] kmsCiphertext, byte[] kmsPlaintext, List<(string VersionId, byte[] Body)> versions)
    {
        UserArn = userArn;
        UserKey = userKey;
        MfaSerial = mfaSerial;
        MfaSeed = mfaSeed;
        KmsCiphertext = kmsCiphertext;
        KmsPlaintext = kmsPlaintext;
        Versions = versions;
    }

    public string UserArn { get; }

    public BasicAWSCredentials UserKey { get; }

    public string MfaSerial { get; }

    public byte[] MfaSeed { get; }

    public byte[] KmsCiphertext { get; }

    public byte[] KmsPlaintext { get; }

    public List<(string VersionId, byte[] Body)> Versions { get; }

    public static BasicAWSCredentials Root => new(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);

    public static async Task<EstateSeed> CreateAsync(TestServer server)
    {
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(server.Endpoint), Root, TimeProvider.System);
        var user = await iam.CallAsync("CreateUser", [new("UserName", "alice")], CancellationToken.None);
        var key = await iam.CallAsync("CreateAccessKey", [new("UserName", "alice")], CancellationToken.None);
        var userKey = new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId")!, IamClient.Descendant(key, "SecretAccessKey")!);
        var device = await iam.CallAsync("CreateVirtualMFADevice", [new("VirtualMFADeviceName", "alice-phone")], CancellationToken.None);
        var serial = IamClient.Descendant(device, "SerialNumber")!;
        var seed = Base32Encoding.ToBytes(Encoding.ASCII.GetString(Convert.FromBase64String(IamClient.Descendant(device, "Base32StringSeed")!)));
        var totp = new Totp(seed);
        var now = DateTime.UtcNow;
        await iam.CallAsync("EnableMFADevice", [new("UserName", "alice"), new("SerialNumber", serial), new("AuthenticationCode1", totp.ComputeTotp(now)), new("AuthenticationCode2", totp.ComputeTotp(now.AddSeconds(30)))], CancellationToken.None);

        using var kms = Kms(server, Root);
        var keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "estate backup test" })).KeyMetadata.KeyId;
        var plaintext = Encoding.UTF8.GetBytes("sealed before the backup");
        var ciphertext = (await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(plaintext) })).CiphertextBlob.ToArray();

        using var s3 = S3(server);
        await s3.PutBucketAsync(VersionedBucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = VersionedBucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var versions = new List<(string, byte[])>();
        foreach (var size in new[] { 10, 100 * 1024, 300 * 1024, 2000 })
        {
            var body = Bodies.Of("doc", size, size);
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = VersionedBucket, Key = "doc", InputStream = new MemoryStream(body) });
            versions.Add((put.VersionId, body));
        }

        return new EstateSeed(IamClient.Descendant(user, "Arn")!, userKey, serial, seed, ciphertext, plaintext, versions);
    }

    /// <summary>Everything the seed made, asked of <paramref name="server"/>, whose clock may run ahead so the MFA code is a fresh one.</summary>
    public async Task CheckAsync(TestServer server, TimeProvider clock)
    {
        using (var sts = Sts(server, UserKey))
        {
            Assert.Equal(UserArn, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
            var code = new Totp(MfaSeed).ComputeTotp(clock.GetUtcNow().UtcDateTime);
            var session = await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = MfaSerial, TokenCode = code });
            Assert.StartsWith("ASIA", session.Credentials.AccessKeyId, StringComparison.Ordinal);
            var wrong = code == "000000" ? "111111" : "000000";
            await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = MfaSerial, TokenCode = wrong }));
        }

        using (var sts = Sts(server, Root))
        {
            Assert.EndsWith(":root", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn, StringComparison.Ordinal);
        }

        using (var kms = Kms(server, Root))
        {
            var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(KmsCiphertext) });
            Assert.Equal(KmsPlaintext, decrypted.Plaintext.ToArray());
        }

        using var s3 = S3(server);
        var listed = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = VersionedBucket });
        Assert.Equal(Versions.Select(v => v.VersionId).Reverse(), listed.Versions.Select(v => v.VersionId));
        foreach (var (versionId, body) in Versions)
        {
            Assert.Equal(body, await ReadAsync(s3, VersionedBucket, "doc", versionId));
        }
    }

    public static AmazonS3Client S3(TestServer server) => new(Root, new AmazonS3Config { ServiceURL = server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public static async Task<byte[]> ReadAsync(IAmazonS3 s3, string bucket, string key, string? versionId = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        return body.ToArray();
    }

    private static AmazonKeyManagementServiceClient Kms(TestServer server, AWSCredentials credentials) =>
        new(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1" });

    private static AmazonSecurityTokenServiceClient Sts(TestServer server, AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1" });
}

/// <summary>Object bodies that can be made again from their key and generation, so any restored copy can be checked byte for byte.</summary>
internal static class Bodies
{
    public static byte[] Of(string key, int generation, int size)
    {
        var bytes = new byte[size];
        new Random(unchecked((StableHash(key) * 31) + generation)).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Blob-backed for the keys that are overwritten; inline (under 64 KiB) or blob-backed for the others, by generation.</summary>
    public static int SizeOf(string key, int generation) =>
        key.StartsWith("over-", StringComparison.Ordinal) || (StableHash(key) + generation) % 2 == 1 ? (80 * 1024) + generation : 1024 + generation;

    private static int StableHash(string value)
    {
        var hash = 17;
        foreach (var c in value)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & 0x7fffffff;
    }
}
