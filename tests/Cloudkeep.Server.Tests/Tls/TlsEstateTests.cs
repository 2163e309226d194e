using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Tls;

/// <summary>The self-signed certificate as an estate-wide value: shared by nodes, renewed before it lapses.</summary>
public sealed class TlsEstateTests
{
    [Fact]
    public async Task SelfSignedCertificate_TwoNodesOnOnePostgres_PresentTheSameCertificate()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var first = await TestServer.StartAsync(database: database, masterKey: key, tls: true);
        await using var second = await TestServer.StartAsync(database: database, accountId: null, masterKey: key, tls: true);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        Assert.Equal(first.Server.Certificate!.Sha256Fingerprint, second.Server.Certificate!.Sha256Fingerprint);
        Assert.Equal(await File.ReadAllTextAsync(first.CaFile!), await File.ReadAllTextAsync(second.CaFile!));

        // Each node's copy verifies the other node's listener.
        using var sts = TlsClients.Sts(second, first.CaFile!);
        Assert.Equal(first.AccountId, (await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task SelfSignedCertificate_WithinAMonthOfExpiry_IsReplacedAtStart()
    {
        using var data = new TempDirectory();
        var clock = new ShiftableClock();
        string first;
        await using (var server = await TestServer.StartAsync(dataDirectory: data.Path, time: clock, tls: true))
        {
            first = server.Server.Certificate!.Sha256Fingerprint;
        }

        clock.Offset = SelfSignedCertificate.Validity - SelfSignedCertificate.RenewBefore - TimeSpan.FromDays(1);
        await using (var notYet = await TestServer.StartAsync(dataDirectory: data.Path, time: clock, tls: true))
        {
            Assert.Equal(first, notYet.Server.Certificate!.Sha256Fingerprint);
        }

        clock.Offset = SelfSignedCertificate.Validity - SelfSignedCertificate.RenewBefore + TimeSpan.FromDays(1);
        await using var renewed = await TestServer.StartAsync(dataDirectory: data.Path, time: clock, tls: true);
        Assert.NotEqual(first, renewed.Server.Certificate!.Sha256Fingerprint);
        Assert.True(renewed.Server.Certificate.Certificate.NotAfter.ToUniversalTime() > clock.GetUtcNow().UtcDateTime.AddDays(800));
        using var onDisk = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(renewed.CaFile!));
        Assert.Equal(renewed.Server.Certificate.Sha256Fingerprint, onDisk.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task ListenHttp_WithoutTls_IsRefused()
    {
        using var data = new TempDirectory();
        var options = new CloudkeepOptions { DataDirectory = data.Path, Listen = "127.0.0.1:0", ListenHttp = "127.0.0.1:0", RequestLogging = false };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CloudkeepServer.StartAsync(options, logging => { }));
        Assert.Contains("--listen-http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSignedCertificate_SymlinkedTlsDirectory_IsRefused()
    {
        using var data = new TempDirectory();
        using var elsewhere = new TempDirectory();
        Directory.CreateSymbolicLink(Path.Combine(data.Path, "tls"), elsewhere.Path);
        var options = new CloudkeepOptions { DataDirectory = data.Path, Listen = "127.0.0.1:0", Tls = true, RequestLogging = false };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CloudkeepServer.StartAsync(options, logging => { }));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere.Path));
    }
}
