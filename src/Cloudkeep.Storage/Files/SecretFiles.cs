using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Crypto;

namespace Cloudkeep.Storage.Files;

/// <summary>Files holding secrets in the data directory: created 0600, written once, never logged.</summary>
public static class SecretFiles
{
    public const string MasterKeyFileName = "master.key";
    public const string RootCredentialsFileName = "root-credentials";

    /// <summary>
    /// The master key: CLOUDKEEP_MASTER_KEY (base64 of 32 bytes) when given, else &lt;data&gt;/master.key,
    /// generated on first start.
    /// </summary>
    public static byte[] LoadOrCreateMasterKey(string dataDirectory, string? fromEnvironment)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(fromEnvironment.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("CLOUDKEEP_MASTER_KEY must be the base64 encoding of 32 random bytes.");
            }

            return key.Length == SecretBox.KeySize
                ? key
                : throw new InvalidOperationException("CLOUDKEEP_MASTER_KEY must be the base64 encoding of 32 random bytes.");
        }

        var path = Path.Combine(dataDirectory, MasterKeyFileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            var key = Convert.FromBase64String(text);
            return key.Length == SecretBox.KeySize ? key : throw new InvalidOperationException($"{path} does not hold a 32-byte key.");
        }

        var created = RandomNumberGenerator.GetBytes(SecretBox.KeySize);
        WriteNew(path, Convert.ToBase64String(created) + "\n");
        return created;
    }

    /// <summary>Writes the root key in the AWS shared credentials format, profile cloudkeep-root.</summary>
    public static string WriteRootCredentials(string dataDirectory, string accessKeyId, string secretAccessKey)
    {
        var path = Path.Combine(dataDirectory, RootCredentialsFileName);
        var text = new StringBuilder()
            .Append("[cloudkeep-root]\n")
            .Append("aws_access_key_id = ").Append(accessKeyId).Append('\n')
            .Append("aws_secret_access_key = ").Append(secretAccessKey).Append('\n')
            .ToString();
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        WriteNew(path, text);
        return path;
    }

    /// <summary>Creates a file readable by its owner only; the mode is set at creation, never after.</summary>
    public static void WriteNew(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        var bytes = Encoding.UTF8.GetBytes(contents);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
