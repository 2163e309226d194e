using System.Security.Cryptography;
using Cloudkeep.Storage.Files;

namespace Cloudkeep.Admin;

/// <summary>
/// Tells whether a master key is the estate's without holding the key: HMAC-SHA256 of a fixed text under it. The
/// key is 256 random bits, so the value gives nothing to guess from; it lets restore refuse a wrong key before the
/// restored server fails to open every sealed secret.
/// </summary>
public static class MasterKeyCheck
{
    public static string Of(byte[] masterKey) => Convert.ToHexStringLower(HMACSHA256.HashData(masterKey, "cloudkeep master key check v1"u8));

    /// <summary>The key the server in <paramref name="dataDirectory"/> uses (CLOUDKEEP_MASTER_KEY, else &lt;data&gt;/master.key), or null when neither is here.</summary>
    public static byte[]? TryLoad(string dataDirectory)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CLOUDKEEP_MASTER_KEY");
        return !string.IsNullOrWhiteSpace(fromEnvironment) || File.Exists(Path.Combine(dataDirectory, SecretFiles.MasterKeyFileName))
            ? SecretFiles.LoadOrCreateMasterKey(dataDirectory, fromEnvironment)
            : null;
    }

    /// <summary>A master key file as the server writes it: the base64 of 32 bytes.</summary>
    public static byte[] Read(string path)
    {
        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length == 32 ? key : throw new ArchiveException($"{path} does not hold a 32-byte master key");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ArchiveException($"the master key file {path} cannot be read: {e.Message}", e);
        }
    }
}
