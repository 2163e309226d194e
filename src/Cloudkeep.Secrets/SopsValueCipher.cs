using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Cloudkeep.Secrets;

/// <summary>
/// sops's value encryption (aes/cipher.go): AES-256-GCM with a 32-byte random IV and a 16-byte tag,
/// written as <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c>. .NET's AesGcm only takes 12-byte
/// nonces, so GCM comes from BouncyCastle, which derives J0 from a long IV through GHASH as Go does.
/// The IVs of decrypted values are remembered so that re-encrypting an unchanged value (edit,
/// updatekeys) gives the same ciphertext and a small diff, as sops's stash does.
/// </summary>
internal sealed partial class SopsValueCipher
{
    private const int IvSize = 32;
    private const int TagBits = 128;
    private const int TagSize = TagBits / 8;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly Dictionary<(string Aad, string Type, string Plain), byte[]> _stash = [];

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]")]
    private static partial Regex EncryptedValue();

    public static bool IsEncrypted(string value) => EncryptedValue().IsMatch(value);

    /// <summary>Encrypts one value; empty strings and comments stay empty, as in sops.</summary>
    public object Encrypt(object value, byte[] key, string additionalData)
    {
        var (type, plain) = value switch
        {
            string s => ("str", Encoding.UTF8.GetBytes(s)),
            byte[] raw => ("str", raw),
            long l => ("int", Encoding.UTF8.GetBytes(l.ToString(CultureInfo.InvariantCulture))),
            double d => ("float", Encoding.UTF8.GetBytes(GoFormat.Float(d))),
            bool b => ("bool", Encoding.UTF8.GetBytes(GoFormat.Bool(b))),
            SopsComment c => ("comment", Encoding.UTF8.GetBytes(c.Value)),
            _ => throw new SopsException(SopsExitCodes.ErrorEncryptingTree, $"a value of type {value.GetType().Name} cannot be encrypted"),
        };
        if (plain.Length == 0 && type is "str" or "comment")
        {
            return value;
        }

        var stashKey = (additionalData, type, Convert.ToBase64String(plain));
        if (!_stash.TryGetValue(stashKey, out var iv))
        {
            iv = RandomNumberGenerator.GetBytes(IvSize);
        }

        var sealedBytes = Gcm(true, key, iv, additionalData, plain);
        var data = sealedBytes.AsSpan(0, sealedBytes.Length - TagSize);
        var tag = sealedBytes.AsSpan(sealedBytes.Length - TagSize);
        var text = $"ENC[AES256_GCM,data:{Convert.ToBase64String(data)},iv:{Convert.ToBase64String(iv)},tag:{Convert.ToBase64String(tag)},type:{type}]";
        return value is SopsComment ? new SopsComment(text) : text;
    }

    /// <summary>Decrypts one value into its typed form; a wrong key, IV, tag or additional data fails authentication.</summary>
    public object Decrypt(string text, byte[] key, string additionalData)
    {
        if (text.Length == 0)
        {
            return "";
        }

        var match = EncryptedValue().Match(text);
        if (!match.Success)
        {
            throw new SopsException(SopsExitCodes.ErrorDecryptingTree, "a value does not match sops' data format (ENC[AES256_GCM,...])");
        }

        byte[] data, iv, tag;
        try
        {
            data = Convert.FromBase64String(match.Groups[1].Value);
            iv = Convert.FromBase64String(match.Groups[2].Value);
            tag = Convert.FromBase64String(match.Groups[3].Value);
        }
        catch (FormatException e)
        {
            throw new SopsException(SopsExitCodes.ErrorDecryptingTree, "an encrypted value is not valid base64", e);
        }

        var type = match.Groups[4].Value;
        byte[] plain;
        try
        {
            plain = Gcm(false, key, iv, additionalData, [.. data, .. tag]);
        }
        catch (InvalidCipherTextException e)
        {
            throw new SopsException(SopsExitCodes.ErrorDecryptingTree, $"could not decrypt the value at '{additionalData}' with AES-GCM: authentication failed", e);
        }

        var plainText = Encoding.UTF8.GetString(plain);
        object value = type switch
        {
            "str" => TryUtf8(plain, out var s) ? s : plain,
            "int" or "int64" => long.TryParse(plainText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw Bad(type),
            "float" => double.TryParse(plainText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Bad(type),
            "bool" => ParseGoBool(plainText) ?? throw Bad(type),
            "bytes" => plain,
            "comment" => new SopsComment(plainText),
            _ => throw new SopsException(SopsExitCodes.ErrorDecryptingTree, $"unknown datatype: {type}"),
        };
        _stash[(additionalData, type == "bytes" ? "str" : type, Convert.ToBase64String(plain))] = iv;
        return value;
    }

    private static SopsException Bad(string type) => new(SopsExitCodes.ErrorDecryptingTree, $"a decrypted value is not a valid {type}");

    /// <summary>strconv.ParseBool: 1, t, T, TRUE, true, True and their false forms.</summary>
    private static bool? ParseGoBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    private static bool TryUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static byte[] Gcm(bool encrypt, byte[] key, byte[] iv, string additionalData, byte[] input)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(encrypt, new AeadParameters(new KeyParameter(key), TagBits, iv, Encoding.UTF8.GetBytes(additionalData)));
        var output = new byte[gcm.GetOutputSize(input.Length)];
        var length = gcm.ProcessBytes(input, 0, input.Length, output, 0);
        length += gcm.DoFinal(output, length);
        return length == output.Length ? output : output[..length];
    }
}
