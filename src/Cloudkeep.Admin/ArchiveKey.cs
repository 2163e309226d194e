using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloudkeep.Admin;

/// <summary>
/// What an estate archive is encrypted to: a backup key file (base64 of 32 random bytes, kept apart from the
/// server's master key) or a passphrase file. Each archive gets its own key: HKDF-SHA256 over the backup key (or
/// PBKDF2-SHA256 of the passphrase, <see cref="PassphraseIterations"/> rounds) with a fresh 32-byte salt from
/// the archive's header, so chunk nonces can count from zero.
/// </summary>
public sealed class ArchiveKey
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int PassphraseIterations = 600_000;

    private static readonly byte[] Info = Encoding.ASCII.GetBytes("cloudkeep estate archive v1");
    private readonly byte[]? _keyFile;
    private readonly byte[]? _passphrase;

    private ArchiveKey(byte[]? keyFile, byte[]? passphrase)
    {
        _keyFile = keyFile;
        _passphrase = passphrase;
    }

    public string Kind => _keyFile is not null ? "key-file" : "passphrase";

    /// <summary>A key file: the base64 of exactly 32 bytes (<c>head -c 32 /dev/urandom | base64 &gt; backup.key</c>).</summary>
    public static ArchiveKey FromKeyFile(string path)
    {
        var text = Read(path).Trim();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ArchiveException($"the key file {path} must hold the base64 of 32 random bytes");
        }

        return key.Length == 32 ? new ArchiveKey(key, null) : throw new ArchiveException($"the key file {path} must hold the base64 of 32 random bytes, not {key.Length}");
    }

    /// <summary>A passphrase file: its first line, of at least 12 characters.</summary>
    public static ArchiveKey FromPassphraseFile(string path)
    {
        var line = Read(path).Split('\n')[0].TrimEnd('\r');
        return line.Length >= 12 ? new ArchiveKey(null, Encoding.UTF8.GetBytes(line)) : throw new ArchiveException($"the passphrase in {path} is shorter than 12 characters");
    }

    /// <summary>The header fields that say how this archive's key is derived (a new salt each time).</summary>
    internal JsonObject NewHeader()
    {
        var header = new JsonObject { ["key"] = Kind, ["salt"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        if (_passphrase is not null)
        {
            header["kdf"] = "pbkdf2-sha256";
            header["iterations"] = PassphraseIterations;
        }

        return header;
    }

    /// <summary>The archive's AES-256 key from its header; an archive made with the other kind of key is refused by name.</summary>
    internal byte[] Derive(JsonObject header)
    {
        var kind = (string?)header["key"];
        if (kind != Kind)
        {
            throw new ArchiveException($"the archive is encrypted to a {kind}, not to the {Kind} given");
        }

        var salt = Convert.FromBase64String((string?)header["salt"] ?? throw new ArchiveException("the archive's header has no salt"));
        var secret = _keyFile;
        if (_passphrase is not null)
        {
            var iterations = (int?)header["iterations"] ?? 0;
            if (iterations is < 100_000 or > 100_000_000)
            {
                throw new ArchiveException($"the archive's header asks for {iterations} PBKDF2 iterations");
            }

            secret = Rfc2898DeriveBytes.Pbkdf2(_passphrase, salt, iterations, HashAlgorithmName.SHA256, 32);
        }

        return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret!, 32, salt, Info);
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException($"{path} cannot be read: {e.Message}", e);
        }
    }
}
