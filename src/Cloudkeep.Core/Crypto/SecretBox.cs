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

    // The last box's cipher context on this thread, keyed once: Seal and Open run synchronously, so a
    // thread never uses it for two calls at once, and opening an object's data key on every GET no longer
    // sets up and frees an OpenSSL context each time. A server has one box (its master key), so the one
    // entry is nearly always the box asking.
    [ThreadStatic]
    private static SecretBox? t_owner;

    [ThreadStatic]
    private static AesGcm? t_gcm;

    public SecretBox(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != KeySize)
        {
            throw new ArgumentException($"The master key must be {KeySize} bytes.", nameof(masterKey));
        }

        _key = masterKey.ToArray();
    }

    private AesGcm Cipher()
    {
        if (!ReferenceEquals(t_owner, this) || t_gcm is null)
        {
            t_gcm?.Dispose();
            t_gcm = new AesGcm(_key, TagSize);
            t_owner = this;
        }

        return t_gcm;
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var sealedValue = new byte[HeaderSize + plaintext.Length];
        sealedValue[0] = FormatVersion;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Cipher().Encrypt(
            nonce,
            plaintext,
            sealedValue.AsSpan(HeaderSize),
            sealedValue.AsSpan(1 + NonceSize, TagSize),
            Associated(purpose, stackalloc byte[MaxStackPurpose]));
        return sealedValue;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string purpose)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException("The sealed value is malformed.");
        }

        var plaintext = new byte[sealedValue.Length - HeaderSize];
        Cipher().Decrypt(
            sealedValue.Slice(1, NonceSize),
            sealedValue[HeaderSize..],
            sealedValue.Slice(1 + NonceSize, TagSize),
            plaintext,
            Associated(purpose, stackalloc byte[MaxStackPurpose]));
        return plaintext;
    }

    private const int MaxStackPurpose = 256;

    /// <summary>The purpose as UTF-8, in <paramref name="scratch"/> when it fits.</summary>
    private static ReadOnlySpan<byte> Associated(string purpose, Span<byte> scratch) =>
        System.Text.Encoding.UTF8.GetMaxByteCount(purpose.Length) <= scratch.Length
            ? scratch[..System.Text.Encoding.UTF8.GetBytes(purpose, scratch)]
            : System.Text.Encoding.UTF8.GetBytes(purpose);

    public string SealString(string plaintext, string purpose) =>
        Convert.ToBase64String(Seal(System.Text.Encoding.UTF8.GetBytes(plaintext), purpose));

    public string OpenString(string sealedBase64, string purpose) =>
        System.Text.Encoding.UTF8.GetString(Open(Convert.FromBase64String(sealedBase64), purpose));
}
