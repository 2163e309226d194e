using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// Signs SNS messages as SNS does ("Verifying the signatures of Amazon SNS messages"): an RSA key
/// whose certificate is served at the message's SigningCertURL; SignatureVersion 1 is
/// SHA1withRSA, 2 is SHA256withRSA, over the message's fields in SNS's fixed order. One key per
/// estate, made on first use; its private half is sealed with the master key in the settings table,
/// so every node signs with the same key and a restart keeps the certificate subscribers pinned.
/// </summary>
public sealed class SnsSigner
{
    private const string KeySetting = "sns.signing-key";
    private const string Purpose = "sns signing key";

    private readonly SettingsRepository _settings;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;
    private Task<(RSA Key, string CertificatePem, string CertificateName)>? _loading;

    public SnsSigner(SettingsRepository settings, SecretBox secrets, TimeProvider time)
    {
        _settings = settings;
        _secrets = secrets;
        _time = time;
    }

    /// <summary>The certificate's file name under /_cloudkeep/sns/, as SNS names its certificates.</summary>
    public async Task<string> CertificateNameAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).CertificateName;

    /// <summary>The PEM of the signing certificate; null until a message has been signed (nothing is made just to be read).</summary>
    public async Task<string?> CertificatePemAsync(string name, CancellationToken cancellationToken)
    {
        if (await _settings.GetAsync(KeySetting, cancellationToken) is null)
        {
            return null;
        }

        var loaded = await LoadAsync(cancellationToken);
        return string.Equals(name, loaded.CertificateName, StringComparison.Ordinal) ? loaded.CertificatePem : null;
    }

    public async Task<string> SignAsync(string stringToSign, string signatureVersion, CancellationToken cancellationToken)
    {
        var (key, _, _) = await LoadAsync(cancellationToken);
        var algorithm = signatureVersion == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        return Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(stringToSign), algorithm, RSASignaturePadding.Pkcs1));
    }

    // Loaded once per process; a load that failed (the store unreachable) is started again by the next caller.
    private Task<(RSA Key, string CertificatePem, string CertificateName)> LoadAsync(CancellationToken cancellationToken)
    {
        var loading = Volatile.Read(ref _loading);
        if (loading is null || loading.IsFaulted || loading.IsCanceled)
        {
            var fresh = LoadOnceAsync(CancellationToken.None);
            loading = Interlocked.CompareExchange(ref _loading, fresh, loading) == loading ? fresh : Volatile.Read(ref _loading)!;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task<(RSA Key, string CertificatePem, string CertificateName)> LoadOnceAsync(CancellationToken cancellationToken)
    {
        var sealedPair = await _settings.GetAsync(KeySetting, cancellationToken);
        if (sealedPair is null)
        {
            using var fresh = RSA.Create(2048);
            var now = _time.GetUtcNow();
            var request = new CertificateRequest("CN=sns.cloudkeep.local", fresh, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            // Key and certificate are one value, so two nodes making a pair at once cannot mix
            // theirs: whoever stores first wins and both read that pair back.
            var pair = Convert.ToBase64String(fresh.ExportPkcs8PrivateKey()) + "\n" + certificate.ExportCertificatePem();
            sealedPair = await _settings.GetOrSetAsync(KeySetting, _secrets.SealString(pair, Purpose), cancellationToken);
        }

        var opened = _secrets.OpenString(sealedPair, Purpose);
        var split = opened.IndexOf('\n', StringComparison.Ordinal);
        var pem = opened[(split + 1)..];
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(opened[..split]), out _);
        var name = "SimpleNotificationService-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(pem)))[..32] + ".pem";
        return (key, pem, name);
    }
}
