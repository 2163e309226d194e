using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Tls;

/// <summary>The server over HTTPS with its self-signed certificate, through real AWS clients that verify it.</summary>
public sealed class TlsServerTests
{
    [Fact]
    public async Task Tls_AwsCliWithCaBundle_GetsCallerIdentityAndPutsAndGetsObjects()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var work = new TempDirectory();
        Assert.StartsWith("https://127.0.0.1:", server.Endpoint, StringComparison.Ordinal);
        var result = await TlsClients.AwsCliAsync(server.Endpoint, server.CaFile, work.Path, """
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" sts get-caller-identity --query Arn --output text
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api create-bucket --bucket tls-cli > /dev/null
            printf 'over tls' > in.txt
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api put-object --bucket tls-cli --key k --body in.txt > /dev/null
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api get-object --bucket tls-cli --key k out.txt > /dev/null
            cat out.txt
            """);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("arn:aws:iam::111122223333:root", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("over tls", result.StandardOutput.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_AwsCliWithoutCaBundle_RefusesTheCertificate()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var work = new TempDirectory();
        var result = await TlsClients.AwsCliAsync(server.Endpoint, caBundle: null, work.Path,
            """aws --endpoint-url "$CLOUDKEEP_ENDPOINT" sts get-caller-identity""");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_DotnetSdkTrustingThatCertificate_CallsStsAndS3()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var sts = TlsClients.Sts(server, server.CaFile!);
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("111122223333", identity.Account);

        using var s3 = TlsClients.S3(server, server.CaFile!);
        await s3.PutBucketAsync("tls-sdk");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "tls-sdk", Key = "k", ContentBody = "sdk over tls" });
        using var got = await s3.GetObjectAsync("tls-sdk", "k");
        using var reader = new StreamReader(got.ResponseStream);
        Assert.Equal("sdk over tls", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Tls_DotnetSdkTrustingAnotherCertificate_Fails()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var other = new TempDirectory();
        using (var stranger = SelfSignedCertificate.Create(new IPEndPoint(IPAddress.Loopback, 0), DateTimeOffset.UtcNow))
        {
            await File.WriteAllTextAsync(Path.Combine(other.Path, "other.pem"), stranger.ExportCertificatePem());
        }

        using var sts = TlsClients.Sts(server, Path.Combine(other.Path, "other.pem"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.IsNotType<AmazonServiceException>(error, exactMatch: false);
    }

    [Fact]
    public async Task Tls_Boto3WithVerifyCertFile_PutsAndGetsPathAndVirtualHostedStyle()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        var port = new Uri(server.Endpoint).Port;
        // *.localhost names are loopback (RFC 6761), but this machine's resolver does not know
        // that, so the script maps them to 127.0.0.1 itself; TLS still verifies the name asked for.
        var script = $$"""
            import socket, boto3
            from botocore.config import Config
            real = socket.getaddrinfo
            def loopback(host, *args, **kwargs):
                return real('127.0.0.1' if str(host).endswith('.localhost') else host, *args, **kwargs)
            socket.getaddrinfo = loopback
            def client(endpoint, style):
                return boto3.client('s3', endpoint_url=endpoint, region_name='eu-west-1', verify='{{server.CaFile}}',
                    aws_access_key_id='{{TestServer.RootAccessKeyId}}', aws_secret_access_key='{{TestServer.RootSecretAccessKey}}',
                    config=Config(s3={'addressing_style': style}, retries={'max_attempts': 1}))
            path = client('{{server.Endpoint}}', 'path')
            path.create_bucket(Bucket='tls-boto')
            path.put_object(Bucket='tls-boto', Key='k', Body=b'boto over tls')
            print(path.get_object(Bucket='tls-boto', Key='k')['Body'].read().decode())
            virtual = client('https://s3.localhost:{{port}}', 'virtual')
            virtual.put_object(Bucket='tls-boto', Key='v', Body=b'virtual-hosted over tls')
            response = virtual.get_object(Bucket='tls-boto', Key='v')
            print(response['Body'].read().decode())
            """;
        var result = await ProcessRunner.RunAsync("python3", ["-c", script]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(["boto over tls", "virtual-hosted over tls"], result.StandardOutput.Trim().Split('\n'));
    }

    [Fact]
    public async Task SecureTransportDeny_PlainHttpRefused_HttpsAllowed()
    {
        await using var server = await TestServer.StartAsync(tls: true, plainHttpToo: true);
        Assert.NotNull(server.HttpEndpoint);
        using var work = new TempDirectory();
        // The seed's bucket policy: TLSOnly denies everyone over plain http, MainAccount allows.
        var policy = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
               "Resource":["arn:aws:s3:::tls-only","arn:aws:s3:::tls-only/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Sid":"MainAccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:*"],
               "Resource":["arn:aws:s3:::tls-only","arn:aws:s3:::tls-only/*"]}]}
            """;
        await File.WriteAllTextAsync(Path.Combine(work.Path, "policy.json"), policy);
        var setUp = await TlsClients.AwsCliAsync(server.Endpoint, server.CaFile, work.Path, """
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api create-bucket --bucket tls-only > /dev/null
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api put-bucket-policy --bucket tls-only --policy file://policy.json
            printf 'secret' > in.txt
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api put-object --bucket tls-only --key k --body in.txt > /dev/null
            """);
        Assert.True(setUp.ExitCode == 0, setUp.StandardError);

        var overHttp = await TlsClients.AwsCliAsync(server.HttpEndpoint!, caBundle: null, work.Path,
            """aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api get-object --bucket tls-only --key k out.txt""");
        Assert.NotEqual(0, overHttp.ExitCode);
        Assert.Contains("AccessDenied", overHttp.StandardError, StringComparison.Ordinal);
        Assert.Contains("explicit deny in a resource-based policy", overHttp.StandardError, StringComparison.Ordinal);
        var putOverHttp = await TlsClients.AwsCliAsync(server.HttpEndpoint!, caBundle: null, work.Path,
            """aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api put-object --bucket tls-only --key k2 --body in.txt""");
        Assert.Contains("AccessDenied", putOverHttp.StandardError, StringComparison.Ordinal);

        var overHttps = await TlsClients.AwsCliAsync(server.Endpoint, server.CaFile, work.Path, """
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" s3api get-object --bucket tls-only --key k out.txt > /dev/null
            cat out.txt
            """);
        Assert.True(overHttps.ExitCode == 0, overHttps.StandardError);
        Assert.Equal("secret", overHttps.StandardOutput);
    }

    [Fact]
    public async Task SelfSignedCertificate_Restart_SameCertificateAndNoClearKeyOnDisk()
    {
        using var data = new TempDirectory();
        string first;
        await using (var server = await TestServer.StartAsync(dataDirectory: data.Path, tls: true))
        {
            first = server.Server.Certificate!.Sha256Fingerprint;
            Assert.Equal(Path.Combine(data.Path, "tls", "cert.pem"), server.CaFile);
        }

        await using (var again = await TestServer.StartAsync(dataDirectory: data.Path, tls: true))
        {
            Assert.Equal(first, again.Server.Certificate!.Sha256Fingerprint);
            using var onDisk = X509Certificate2.CreateFromPem(File.ReadAllText(again.CaFile!));
            Assert.Equal(first, onDisk.GetCertHashString(HashAlgorithmName.SHA256));
            Assert.False(onDisk.HasPrivateKey);
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                File.GetUnixFileMode(again.CaFile!));
        }

        // The key lives sealed in the database (SQLite and its WAL here); nothing holds it as PEM or DER.
        foreach (var file in Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain("PRIVATE KEY", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SelfSignedCertificate_StoredKey_IsSealedUnderTheMasterKey()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        await using var store = Storage.Metadata.MetadataStoreFactory.Create(null, server.DataDirectory);
        var stored = await new Storage.Metadata.SettingsRepository(store).GetAsync(ServerCertificateStore.SettingName, CancellationToken.None);
        Assert.NotNull(stored);
        using var document = System.Text.Json.JsonDocument.Parse(stored);
        var sealedKey = Convert.FromBase64String(document.RootElement.GetProperty("sealedKey").GetString()!);
        // A PKCS#8 key starts with a DER SEQUENCE; the sealed value with SecretBox's version byte.
        Assert.Equal(1, sealedKey[0]);
        using var probe = ECDsa.Create();
        Assert.Throws<CryptographicException>(() => probe.ImportPkcs8PrivateKey(sealedKey, out _));
        using var key = server.Server.Certificate!.Certificate.GetECDsaPrivateKey()!;
        Assert.DoesNotContain(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ClientOfferingOnlyTls11_IsRefusedByTheServer_Tls12Accepted()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        var port = new Uri(server.Endpoint).Port;
        // The client is opened up to TLS 1.0/1.1 (security level 0), so a failure is the server's
        // protocol_version alert, not the client's own policy.
        var script = $$"""
            import socket, ssl
            def handshake(highest):
                context = ssl.create_default_context(cafile='{{server.CaFile}}')
                context.set_ciphers('DEFAULT:@SECLEVEL=0')
                context.minimum_version = ssl.TLSVersion.TLSv1
                context.maximum_version = highest
                try:
                    with socket.create_connection(('127.0.0.1', {{port}})) as raw:
                        with context.wrap_socket(raw, server_hostname='localhost') as tls:
                            return tls.version()
                except ssl.SSLError as e:
                    return e.reason
            print(handshake(ssl.TLSVersion.TLSv1_1))
            print(handshake(ssl.TLSVersion.TLSv1_2))
            """;
        var result = await ProcessRunner.RunAsync("python3", ["-c", script]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(["TLSV1_ALERT_PROTOCOL_VERSION", "TLSv1.2"], result.StandardOutput.Trim().Split('\n'));
    }

    [Fact]
    public void SelfSignedCertificate_Names_CoverLoopbackAndVirtualHostedS3()
    {
        using var certificate = SelfSignedCertificate.Create(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4566), DateTimeOffset.UtcNow);
        foreach (var name in new[] { "localhost", "s3.localhost", "my-bucket.s3.localhost", "127.0.0.1", "::1", "10.1.2.3" })
        {
            Assert.True(certificate.MatchesHostname(name), name);
        }

        Assert.False(certificate.MatchesHostname("example.com"));
        Assert.True(certificate.NotAfter - certificate.NotBefore <= SelfSignedCertificate.Validity + TimeSpan.FromHours(1));
        using var publicKey = certificate.GetECDsaPublicKey();
        Assert.Equal(256, publicKey!.KeySize);
    }
}
