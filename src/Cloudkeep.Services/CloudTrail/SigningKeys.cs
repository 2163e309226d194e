using System.Security.Cryptography;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Each region's digest signing key: RSA 2048, made on first use, the private key sealed with the
/// master key in the metadata store; the public key (DER, PKCS#1 RSAPublicKey, as ListPublicKeys
/// answers it) and its fingerprint (hex MD5 of that DER, 32 characters as AWS's).
/// </summary>
public static class SigningKeys
{
    private const string Purpose = "cloudtrail-digest-key";

    public static async Task<CloudTrailSigningKey> GetOrCreateAsync(CloudTrailContext context, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = await context.Repository.SigningKeysAsync(region, cancellationToken);
        if (keys.Count > 0)
        {
            return keys[^1];
        }

        using var rsa = RSA.Create(2048);
        var publicKey = rsa.ExportRSAPublicKey();
        var key = new CloudTrailSigningKey(
            region,
            Fingerprint(publicKey),
            Convert.ToBase64String(context.Secrets.Seal(rsa.ExportPkcs8PrivateKey(), Purpose)),
            Convert.ToBase64String(publicKey),
            context.Now);
        await context.Repository.AddSigningKeyAsync(key, cancellationToken);
        return (await context.Repository.SigningKeysAsync(region, cancellationToken))[^1];
    }

#pragma warning disable CA5351 // MD5 names the key (a fingerprint, as AWS's are 32 hex characters); it protects nothing.
    public static string Fingerprint(byte[] publicKey) => Convert.ToHexStringLower(MD5.HashData(publicKey));
#pragma warning restore CA5351

    public static byte[] Sign(CloudTrailContext context, CloudTrailSigningKey key, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(context.Secrets.Open(Convert.FromBase64String(key.SealedPrivateKey), Purpose), out _);
        return rsa.SignData(System.Text.Encoding.UTF8.GetBytes(stringToSign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
