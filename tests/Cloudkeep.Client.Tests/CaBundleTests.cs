using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloudkeep.Testing;

namespace Cloudkeep.Client.Tests;

/// <summary>AWS_CA_BUNDLE for the client commands: the server's certificate is trusted through it, and nothing else is.</summary>
public sealed class CaBundleTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("cloudkeep-ca-");
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(tls: true);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Handler_ServersCertificateInTheBundle_IsTrusted()
    {
        using var http = new HttpClient(CaBundle.From(_server.CaFile)!.Handler(), disposeHandler: true);

        using var response = await http.GetAsync(new Uri($"{_server.Endpoint}/_cloudkeep/health"));

        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Handler_AnotherCertificateInTheBundle_RefusesTheServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_directory.Path, "other.pem");
        await File.WriteAllTextAsync(path, other.ExportCertificatePem());
        using var http = new HttpClient(CaBundle.From(path)!.Handler(), disposeHandler: true);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"{_server.Endpoint}/_cloudkeep/health")));
    }

    [Fact]
    public void From_NoPathOrABadFile_IsNoneOrAClearError()
    {
        Assert.Null(CaBundle.From(null));
        Assert.Null(CaBundle.From(""));
        var missing = Assert.Throws<InvalidOperationException>(() => CaBundle.From(Path.Combine(_directory.Path, "missing.pem")));
        Assert.Contains("cannot be read", missing.Message, StringComparison.Ordinal);
        var empty = Path.Combine(_directory.Path, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");
        Assert.Contains("holds no PEM certificate", Assert.Throws<InvalidOperationException>(() => CaBundle.From(empty)).Message, StringComparison.Ordinal);
    }
}
