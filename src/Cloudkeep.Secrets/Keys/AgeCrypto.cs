using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Cloudkeep.Secrets.Keys;

/// <summary>
/// The age v1 file format (age-encryption.org/v1) for X25519 recipients, armored as sops stores it:
/// a 16-byte file key wrapped per recipient (ephemeral X25519, HKDF-SHA256 with info
/// "age-encryption.org/v1/X25519", ChaCha20-Poly1305 with a zero nonce), a header MAC
/// (HMAC-SHA256 keyed by HKDF(file key, "header")), and a STREAM payload in 64 KiB
/// ChaCha20-Poly1305 chunks keyed by HKDF(file key, nonce, "payload").
/// </summary>
internal static class AgeCrypto
{
    private const string Intro = "age-encryption.org/v1";
    private const string X25519Label = "age-encryption.org/v1/X25519";
    private const string ArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
    private const string ArmorEnd = "-----END AGE ENCRYPTED FILE-----";
    private const int ChunkSize = 64 * 1024;

    public static byte[] PublicKey(byte[] secret)
    {
        var pub = new byte[X25519.PointSize];
        X25519.ScalarMultBase(secret, 0, pub, 0);
        return pub;
    }

    public static byte[] ParseRecipient(string recipient)
    {
        var (hrp, data) = Bech32.Decode(recipient);
        return hrp == "age" && data.Length == 32 ? data : throw new FormatException($"'{recipient}' is not an age X25519 recipient");
    }

    public static string FormatRecipient(byte[] publicKey) => Bech32.Encode("age", publicKey);

    public static byte[] ParseIdentity(string identity)
    {
        var (hrp, data) = Bech32.Decode(identity);
        return hrp == "age-secret-key-" && data.Length == 32 ? data : throw new FormatException("not an age X25519 identity");
    }

    /// <summary>Encrypts to one recipient and returns the armored file.</summary>
    public static string Encrypt(byte[] plaintext, byte[] recipient)
    {
        var fileKey = RandomNumberGenerator.GetBytes(16);
        var ephemeral = RandomNumberGenerator.GetBytes(32);
        var share = PublicKey(ephemeral);
        var shared = new byte[32];
        X25519.ScalarMult(ephemeral, 0, recipient, 0, shared, 0);
        var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. recipient], Encoding.ASCII.GetBytes(X25519Label));
        var body = ChaCha(true, wrapKey, new byte[12], fileKey);

        var header = new StringBuilder();
        header.Append(Intro).Append('\n');
        header.Append("-> X25519 ").Append(RawBase64(share)).Append('\n');
        header.Append(RawBase64(body)).Append('\n');
        header.Append("---");
        var mac = HeaderMac(fileKey, Encoding.ASCII.GetBytes(header.ToString()));
        header.Append(' ').Append(RawBase64(mac)).Append('\n');

        var nonce = RandomNumberGenerator.GetBytes(16);
        var payloadKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, nonce, "payload"u8.ToArray());
        using var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes(header.ToString()));
        file.Write(nonce);
        var offset = 0;
        var counter = 0L;
        do
        {
            var length = Math.Min(ChunkSize, plaintext.Length - offset);
            var last = offset + length >= plaintext.Length;
            file.Write(ChaCha(true, payloadKey, ChunkNonce(counter++, last), plaintext[offset..(offset + length)]));
            offset += length;
        }
        while (offset < plaintext.Length);

        return Armor(file.ToArray());
    }

    /// <summary>Decrypts an armored (or binary) age file with the first identity that opens an X25519 stanza; null when none does.</summary>
    public static byte[]? Decrypt(string armored, IReadOnlyList<byte[]> identities)
    {
        var file = Dearmor(armored);
        var (lines, headerEnd) = ReadHeader(file);
        if (lines.Count < 2 || lines[0] != Intro)
        {
            throw new FormatException("not an age v1 file");
        }

        byte[]? fileKey = null;
        var macLine = lines[^1];
        for (var i = 1; i < lines.Count - 1 && fileKey is null; i++)
        {
            if (!lines[i].StartsWith("-> ", StringComparison.Ordinal))
            {
                continue;
            }

            var args = lines[i][3..].Split(' ');
            var body = new StringBuilder();
            var j = i + 1;
            for (; j < lines.Count - 1 && !lines[j].StartsWith("-> ", StringComparison.Ordinal); j++)
            {
                body.Append(lines[j]);
                if (lines[j].Length < 64)
                {
                    break;
                }
            }

            if (args is not ["X25519", var shareText])
            {
                continue;
            }

            var share = FromRawBase64(shareText);
            var wrapped = FromRawBase64(body.ToString());
            foreach (var identity in identities)
            {
                var shared = new byte[32];
                X25519.ScalarMult(identity, 0, share, 0, shared, 0);
                if (shared.All(b => b == 0))
                {
                    continue;
                }

                var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. PublicKey(identity)], Encoding.ASCII.GetBytes(X25519Label));
                try
                {
                    fileKey = ChaCha(false, wrapKey, new byte[12], wrapped);
                    break;
                }
                catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
                {
                    // Not this identity's stanza.
                }
            }
        }

        if (fileKey is null)
        {
            return null;
        }

        var macText = Encoding.ASCII.GetString(file, 0, headerEnd).TrimEnd('\n');
        var macStart = macText.LastIndexOf("--- ", StringComparison.Ordinal);
        var expected = HeaderMac(fileKey, Encoding.ASCII.GetBytes(macText[..(macStart + 3)]));
        if (!CryptographicOperations.FixedTimeEquals(expected, FromRawBase64(macLine[4..])))
        {
            throw new FormatException("age header MAC mismatch");
        }

        var nonce = file[headerEnd..(headerEnd + 16)];
        var payloadKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, nonce, "payload"u8.ToArray());
        using var plain = new MemoryStream();
        var offset = headerEnd + 16;
        var counter = 0L;
        while (offset < file.Length)
        {
            var length = Math.Min(ChunkSize + 16, file.Length - offset);
            var last = offset + length >= file.Length;
            plain.Write(ChaCha(false, payloadKey, ChunkNonce(counter++, last), file[offset..(offset + length)]));
            offset += length;
        }

        return plain.ToArray();
    }

    private static (List<string> Lines, int End) ReadHeader(byte[] file)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < file.Length; i++)
        {
            if (file[i] != '\n')
            {
                continue;
            }

            var line = Encoding.ASCII.GetString(file, start, i - start);
            lines.Add(line);
            start = i + 1;
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                return (lines, start);
            }
        }

        throw new FormatException("age header has no MAC line");
    }

    private static byte[] HeaderMac(byte[] fileKey, byte[] header)
    {
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray());
        return HMACSHA256.HashData(macKey, header);
    }

    private static byte[] ChunkNonce(long counter, bool last)
    {
        var nonce = new byte[12];
        for (var i = 10; i >= 0 && counter > 0; i--, counter >>= 8)
        {
            nonce[i] = (byte)(counter & 0xff);
        }

        nonce[11] = last ? (byte)1 : (byte)0;
        return nonce;
    }

    private static byte[] ChaCha(bool encrypt, byte[] key, byte[] nonce, byte[] input)
    {
        var cipher = new Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305();
        cipher.Init(encrypt, new AeadParameters(new KeyParameter(key), 128, nonce));
        var output = new byte[cipher.GetOutputSize(input.Length)];
        var length = cipher.ProcessBytes(input, 0, input.Length, output, 0);
        length += cipher.DoFinal(output, length);
        return output[..length];
    }

    private static string Armor(byte[] file)
    {
        var text = Convert.ToBase64String(file);
        var builder = new StringBuilder(ArmorBegin).Append('\n');
        for (var i = 0; i < text.Length; i += 64)
        {
            builder.Append(text.AsSpan(i, Math.Min(64, text.Length - i))).Append('\n');
        }

        return builder.Append(ArmorEnd).Append('\n').ToString();
    }

    private static byte[] Dearmor(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(ArmorBegin, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var end = trimmed.IndexOf(ArmorEnd, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new FormatException("age armor has no end line");
        }

        var body = string.Concat(trimmed[ArmorBegin.Length..end].Where(c => !char.IsWhiteSpace(c)));
        return Convert.FromBase64String(body);
    }

    private static string RawBase64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=');

    private static byte[] FromRawBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
