using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cloudkeep.Services.Kms;

/// <summary>
/// The ciphertext blob of a symmetric KMS key, self-describing so Decrypt finds the key from the
/// blob alone (as AWS's does). Layout, all big-endian:
/// <code>
/// [0]      format version (1)
/// [1..17)  key id (the UUID's 16 bytes)
/// [17..21) key-material version (uint32, 1 = the key's first material)
/// [21..33) AES-GCM nonce (random)
/// [33..49) AES-GCM tag
/// [49..)   ciphertext
/// </code>
/// The 21-byte header and the canonical encryption context are the additional authenticated data,
/// so changing any byte of the blob, or the context, makes decryption fail.
/// </summary>
public static class KmsCiphertext
{
    public const byte FormatVersion = 1;
    public const int MaterialSize = 32;
    public const int HeaderSize = 1 + 16 + 4;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + NonceSize + TagSize;

    public static byte[] Seal(Guid keyId, int materialVersion, ReadOnlySpan<byte> material, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(materialVersion, 1);
        if (material.Length != MaterialSize)
        {
            throw new ArgumentException($"Key material must be {MaterialSize} bytes.", nameof(material));
        }

        var blob = new byte[Overhead + plaintext.Length];
        blob[0] = FormatVersion;
        keyId.TryWriteBytes(blob.AsSpan(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(17, 4), (uint)materialVersion);
        var nonce = blob.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(material, TagSize);
        gcm.Encrypt(
            nonce,
            plaintext,
            blob.AsSpan(Overhead),
            blob.AsSpan(HeaderSize + NonceSize, TagSize),
            AssociatedData(blob.AsSpan(0, HeaderSize), encryptionContext));
        return blob;
    }

    /// <summary>Reads the key id and material version; false when the blob is not in this format.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> blob, out Guid keyId, out int materialVersion)
    {
        keyId = Guid.Empty;
        materialVersion = 0;
        if (blob.Length < Overhead || blob[0] != FormatVersion)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(17, 4));
        if (version is 0 or > int.MaxValue)
        {
            return false;
        }

        keyId = new Guid(blob.Slice(1, 16), bigEndian: true);
        materialVersion = (int)version;
        return true;
    }

    /// <summary>Decrypts and authenticates; false when the blob, the material or the context does not match.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> material, IReadOnlyDictionary<string, string>? encryptionContext, out byte[] plaintext)
    {
        plaintext = [];
        if (!TryReadHeader(blob, out _, out _) || material.Length != MaterialSize)
        {
            return false;
        }

        var result = new byte[blob.Length - Overhead];
        using var gcm = new AesGcm(material, TagSize);
        try
        {
            gcm.Decrypt(
                blob.Slice(HeaderSize, NonceSize),
                blob[Overhead..],
                blob.Slice(HeaderSize + NonceSize, TagSize),
                result,
                AssociatedData(blob[..HeaderSize], encryptionContext));
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(result);
            return false;
        }

        plaintext = result;
        return true;
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var context = KmsEncryptionContext.Canonical(encryptionContext);
        var data = new byte[header.Length + context.Length];
        header.CopyTo(data);
        context.CopyTo(data.AsSpan(header.Length));
        return data;
    }
}
