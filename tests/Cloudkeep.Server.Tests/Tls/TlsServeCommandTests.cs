using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Tls;

/// <summary>`cloudkeep serve --tls` as a user runs it: what it prints, and how it refuses bad certificate files.</summary>
public sealed partial class TlsServeCommandTests
{
    private static string Cloudkeep => Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    [GeneratedRegex(@"^cloudkeep: ready on (https://127\.0\.0\.1:\d+)/ ")]
    private static partial Regex ReadyOn();

    private static (string Certificate, string Key) WritePair(string directory, string name)
    {
        using var certificate = SelfSignedCertificate.Create(new IPEndPoint(IPAddress.Loopback, 0), DateTimeOffset.UtcNow);
        using var key = certificate.GetECDsaPrivateKey()!;
        var certificateFile = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    [Fact]
    public async Task ServeTls_SelfSigned_PrintsTheCertificatePathAndAnswersOverHttps()
    {
        using var data = new TempDirectory();
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Cloudkeep, "serve", "--data", data.Path, "--listen", "127.0.0.1:0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CLOUDKEEP_TLS"] = "1";
        info.Environment["CLOUDKEEP_ACCOUNT_ID"] = "555566667777";
        using var process = System.Diagnostics.Process.Start(info)!;
        var lines = new List<string>();
        string? endpoint = null;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            // Listening on port 0 and reading the bound address back: no port is picked before the server binds it.
            while (endpoint is null && await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                lines.Add(line);
                endpoint = ReadyOn().Match(line) is { Success: true } ready ? ready.Groups[1].Value : null;
            }
        }

        try
        {
            var certificateFile = Path.Combine(data.Path, "tls", "cert.pem");
            Assert.Contains(lines, l => l.StartsWith("cloudkeep: TLS self-signed certificate " + certificateFile, StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("AWS_CA_BUNDLE=" + certificateFile, StringComparison.Ordinal));
            Assert.True(endpoint is not null, "no \"ready on https://\" line:\n" + string.Join('\n', lines));
            using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
            Assert.Contains(lines, l => l.Contains(expected.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.Ordinal));

            var pinned = new PinnedCertificateHttpClientFactory(certificateFile);
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, e) => pinned.Accepts(c, e) };
            using var http = new HttpClient(handler);
            using var response = await http.GetAsync(new Uri($"{endpoint}/_cloudkeep/health"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
        }

        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task ServeTls_KeyOfAnotherCertificate_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var (certificate, _) = WritePair(files.Path, "a");
        var (_, otherKey) = WritePair(files.Path, "b");
        var result = await ProcessRunner.RunAsync("dotnet", [Cloudkeep, "serve", "--data", data.Path, "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", otherKey]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--tls-key {otherKey} does not match the certificate in --tls-cert {certificate}", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, "root-credentials")), "nothing is bootstrapped before the certificate is checked");
    }

    [Fact]
    public async Task ServeTls_UnreadableKey_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var (certificate, _) = WritePair(files.Path, "a");
        var missing = Path.Combine(files.Path, "missing.key");
        var result = await ProcessRunner.RunAsync("dotnet", [Cloudkeep, "serve", "--data", data.Path, "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", missing]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--tls-key {missing} cannot be read", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeTls_KeyFileHoldingACertificate_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var (certificate, _) = WritePair(files.Path, "a");
        var result = await ProcessRunner.RunAsync("dotnet", [Cloudkeep, "serve", "--data", data.Path, "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", certificate]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected a PEM certificate and its unencrypted PEM private key", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeTls_CertificateWithoutKey_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var (certificate, _) = WritePair(files.Path, "a");
        var result = await ProcessRunner.RunAsync("dotnet", [Cloudkeep, "serve", "--data", data.Path, "--listen", "127.0.0.1:0", "--tls-cert", certificate]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls-cert and --tls-key go together", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudkeepServer_CertificateFileWithIntermediate_SendsTheChain()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Authority("CN=Test Root", rootKey, issuer: null, now);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = Authority("CN=Test Intermediate", intermediateKey, root, now);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = leafRequest.Create(intermediate, now.AddHours(-1), now.AddDays(30), [1, 2, 3, 4]);
        var certificateFile = Path.Combine(files.Path, "chain.pem");
        var keyFile = Path.Combine(files.Path, "leaf.key");
        var rootFile = Path.Combine(files.Path, "root.pem");
        await File.WriteAllTextAsync(certificateFile, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        await File.WriteAllTextAsync(keyFile, leafKey.ExportECPrivateKeyPem());
        await File.WriteAllTextAsync(rootFile, root.ExportCertificatePem());

        var options = new CloudkeepOptions { DataDirectory = data.Path, Listen = "127.0.0.1:0", RequestLogging = false, TlsCertificateFile = certificateFile, TlsKeyFile = keyFile };
        await using var server = await CloudkeepServer.StartAsync(options, logging => { });
        Assert.Single(server.Certificate!.Chain);
        // OpenSSL trusting only the root verifies the leaf only if the server sent the intermediate.
        var script = $$"""
            import urllib.request, ssl
            context = ssl.create_default_context(cafile='{{rootFile}}')
            print(urllib.request.urlopen('https://localhost:{{server.Address.Port}}/_cloudkeep/health', context=context).status)
            """;
        var result = await ProcessRunner.RunAsync("python3", ["-c", script]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("200", result.StandardOutput.Trim());
    }

    private static X509Certificate2 Authority(string subject, ECDsa key, X509Certificate2? issuer, DateTimeOffset now)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var subjectKey = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(subjectKey);
        if (issuer is null)
        {
            return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(60));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(issuer, now.AddHours(-1), now.AddDays(45), [5, 6, 7, 8]);
        return signed.CopyWithPrivateKey(key);
    }

    [Fact]
    public async Task CloudkeepServer_CertificateAndKeyFiles_PresentsThatCertificate()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        var (certificateFile, keyFile) = WritePair(files.Path, "given");
        var options = new CloudkeepOptions
        {
            DataDirectory = data.Path,
            Listen = "127.0.0.1:0",
            AccountId = "111122223333",
            RequestLogging = false,
            TlsCertificateFile = certificateFile,
            TlsKeyFile = keyFile,
        };
        await using var server = await CloudkeepServer.StartAsync(options, logging => { });
        Assert.False(server.Certificate!.SelfSigned);
        Assert.Equal(certificateFile, server.Certificate.CertificateFile);
        Assert.False(File.Exists(Path.Combine(data.Path, "tls", "cert.pem")));

        var pinned = new PinnedCertificateHttpClientFactory(certificateFile);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, e) => pinned.Accepts(c, e) };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(server.Address, "/_cloudkeep/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://", server.Address.ToString(), StringComparison.Ordinal);
    }
}
