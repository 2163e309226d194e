using System.Security.Cryptography;

namespace Cloudkeep.Core.Crypto;

/// <summary>
/// Seals secrets at rest (access key secrets, MFA seeds, key material) under the master key with
/// AES-256-GCM. Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext. The purpose string
/// is bound as associated data so a sealed value cannot be moved to another column or row kind.
/// </summary>
public sealed class SecretBox
{
    public const int KeySize = 32;
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    public SecretBox(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != KeySize)
        {
            throw new ArgumentException($"The master key must be {KeySize} bytes.", nameof(masterKey));
        }

        _key = masterKey.ToArray();
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var sealedValue = new byte[HeaderSize + plaintext.Length];
        sealedValue[0] = FormatVersion;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Encrypt(
            nonce,
            plaintext,
            sealedValue.AsSpan(HeaderSize),
            sealedValue.AsSpan(1 + NonceSize, TagSize),
            System.Text.Encoding.UTF8.GetBytes(purpose));
        return sealedValue;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string purpose)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException("The sealed value is malformed.");
        }

        var plaintext = new byte[sealedValue.Length - HeaderSize];
        using var gcm = new AesGcm(_key, TagSize);
        gcm.Decrypt(
            sealedValue.Slice(1, NonceSize),
            sealedValue[HeaderSize..],
            sealedValue.Slice(1 + NonceSize, TagSize),
            plaintext,
            System.Text.Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }

    public string SealString(string plaintext, string purpose) =>
        Convert.ToBase64String(Seal(System.Text.Encoding.UTF8.GetBytes(plaintext), purpose));

    public string OpenString(string sealedBase64, string purpose) =>
        System.Text.Encoding.UTF8.GetString(Open(Convert.FromBase64String(sealedBase64), purpose));
}
