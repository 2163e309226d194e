using System.Security.Cryptography;

namespace Cloudkeep.Core.Identity;

/// <summary>
/// Identifier formats from "IAM identifiers" (Unique identifiers): a four-letter prefix saying
/// what the id names, then upper-case base32 characters. Access key ids are 20 characters,
/// unique ids of users and roles 21.
/// </summary>
public static class AwsIds
{
    public const string LongTermKeyPrefix = "AKIA";
    public const string TemporaryKeyPrefix = "ASIA";
    public const string UserPrefix = "AIDA";
    public const string RolePrefix = "AROA";
    public const string GroupPrefix = "AGPA";
    public const string ManagedPolicyPrefix = "ANPA";

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string NewAccessKeyId() => NewId(LongTermKeyPrefix, 16);

    public static string NewTemporaryAccessKeyId() => NewId(TemporaryKeyPrefix, 16);

    public static string NewUniqueId(string prefix) => NewId(prefix, 17);

    /// <summary>A 40-character secret access key, 240 bits of entropy.</summary>
    public static string NewSecretAccessKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    private static string NewId(string prefix, int randomLength) =>
        string.Concat(prefix, RandomNumberGenerator.GetString(Base32Alphabet, randomLength));

    /// <summary>Whether a value has the shape of an access key id (so a garbage credential gets a clean error).</summary>
    public static bool LooksLikeAccessKeyId(ReadOnlySpan<char> value)
    {
        if (value.Length is < 16 or > 128)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
