using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Server.Hosting;

/// <summary>
/// Finds the TLS certificate: the PEM files given on the command line, else the estate's
/// self-signed one. That one lives in the metadata database (settings row <see cref="SettingName"/>:
/// the certificate in PEM and its PKCS#8 key sealed under the master key), so every node of one
/// estate, SQLite or PostgreSQL, presents the same certificate; the public half is also written to
/// &lt;data&gt;/tls/cert.pem for clients to trust. The private key is never written in the clear.
/// </summary>
internal static class ServerCertificateStore
{
    public const string SettingName = "tls.self-signed-certificate";
    private const string KeyPurpose = "tls-private-key";

    /// <summary>The --tls-cert / --tls-key pair, or null when neither is given.</summary>
    public static ServerCertificate? FromOptionFiles(CloudkeepOptions options) =>
        options.TlsCertificateFile is null && options.TlsKeyFile is null ? null : FromFiles(options.TlsCertificateFile, options.TlsKeyFile);

    public static async Task<ServerCertificate> LoadSelfSignedAsync(
        CloudkeepOptions options,
        SettingsRepository settings,
        SecretBox secrets,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var listen = ListenAddress.Parse(options.Listen);
        var now = time.GetUtcNow();
        var stored = await settings.GetAsync(SettingName, cancellationToken);
        if (stored is null)
        {
            // First writer wins, so nodes starting together agree on one certificate.
            stored = await settings.GetOrSetAsync(SettingName, Create(listen, now, secrets), cancellationToken);
        }
        else if (ExpiresSoon(stored, now))
        {
            // Last writer wins: nodes renewing at the same moment may briefly differ until they restart.
            stored = Create(listen, now, secrets);
            await settings.SetAsync(SettingName, stored, cancellationToken);
        }

        var certificate = Open(stored, secrets);
        var file = CertificateFile.Write(options.DataDirectory, certificate.ExportCertificatePem() + "\n");
        return new ServerCertificate(certificate, [], file, selfSigned: true);
    }

    private static string Create(IPEndPoint listen, DateTimeOffset now, SecretBox secrets)
    {
        using var certificate = SelfSignedCertificate.Create(listen, now);
        using var key = certificate.GetECDsaPrivateKey()!;
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            var entry = new StoredCertificate(certificate.ExportCertificatePem(), Convert.ToBase64String(secrets.Seal(pkcs8, KeyPurpose)));
            return JsonSerializer.Serialize(entry, StoredCertificateJsonContext.Default.StoredCertificate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static bool ExpiresSoon(string stored, DateTimeOffset now)
    {
        var entry = Parse(stored);
        using var certificate = X509Certificate2.CreateFromPem(entry.Certificate);
        return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime < SelfSignedCertificate.RenewBefore;
    }

    private static X509Certificate2 Open(string stored, SecretBox secrets)
    {
        var entry = Parse(stored);
        byte[] pkcs8;
        try
        {
            pkcs8 = secrets.Open(Convert.FromBase64String(entry.SealedKey), KeyPurpose);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new InvalidOperationException("The stored TLS key cannot be opened with this master key.", e);
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            using var publicOnly = X509Certificate2.CreateFromPem(entry.Certificate);
            return UsableBySslStream(publicOnly.CopyWithPrivateKey(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// Windows' TLS stack (SChannel) cannot use a key that lives only in memory, as keys imported
    /// from PEM do; a round trip through PKCS#12 gives it one it accepts. Elsewhere the certificate is kept as is.
    /// </summary>
    private static X509Certificate2 UsableBySslStream(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    private static StoredCertificate Parse(string stored)
    {
        try
        {
            return JsonSerializer.Deserialize(stored, StoredCertificateJsonContext.Default.StoredCertificate)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The settings row {SettingName} is malformed.", e);
        }
    }

    private static ServerCertificate FromFiles(string? certificateFile, string? keyFile)
    {
        if (certificateFile is null || keyFile is null)
        {
            throw new ArgumentException("--tls-cert and --tls-key go together: give both PEM files, or neither for a self-signed certificate.");
        }

        var certificatePem = Read(certificateFile, "--tls-cert");
        var keyPem = Read(keyFile, "--tls-key");
        X509Certificate2 certificate;
        X509Certificate2Collection all = [];
        try
        {
            certificate = UsableBySslStream(X509Certificate2.CreateFromPem(certificatePem, keyPem));
            all.ImportFromPem(certificatePem);
        }
        catch (ArgumentException)
        {
            // CopyWithPrivateKey's complaint: the key is a real key, but not this certificate's.
            throw new ArgumentException($"--tls-key {keyFile} does not match the certificate in --tls-cert {certificateFile}.");
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"--tls-cert {certificateFile} / --tls-key {keyFile}: expected a PEM certificate and its unencrypted PEM private key ({e.Message}).");
        }

        var chain = new X509Certificate2Collection();
        foreach (var other in all)
        {
            if (other.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                other.Dispose();
            }
            else
            {
                chain.Add(other);
            }
        }

        return new ServerCertificate(certificate, chain, Path.GetFullPath(certificateFile), selfSigned: false);
    }

    private static string Read(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} {path} cannot be read: {e.Message}");
        }
    }
}

internal sealed record StoredCertificate(
    [property: JsonPropertyName("certificate")] string Certificate,
    [property: JsonPropertyName("sealedKey")] string SealedKey);

[JsonSerializable(typeof(StoredCertificate))]
internal sealed partial class StoredCertificateJsonContext : JsonSerializerContext;
