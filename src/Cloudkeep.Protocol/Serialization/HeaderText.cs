using System.Text;
using System.Text.RegularExpressions;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Text that travels in HTTP header values. S3 decodes RFC 2047 encoded-words in user metadata
/// before storing it and encodes values that are not US-ASCII the same way when it answers them
/// ("Working with object metadata", user-defined metadata), so whatever was stored can always be
/// sent back; control characters have no place in a header value and are refused on the way in.
/// </summary>
public static partial class HeaderText
{
    /// <summary>Whether the value holds a character no HTTP field value may carry (C0 controls but tab, DEL).</summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7f)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Refuses a value that would be stored and answered in a header (S3's InvalidArgument).</summary>
    public static void RefuseControlCharacters(string name, string value)
    {
        if (HasControlCharacter(value))
        {
            throw S3AuthErrors.InvalidArgument.ToException($"The value of {SafeXml.Text(name)} holds a control character, which no HTTP header can carry.");
        }
    }

    /// <summary>The value as a response header can carry it: printable US-ASCII as is, anything else as one RFC 2047 "B" encoded-word.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                // Encoding.UTF8 writes a lone surrogate as U+FFFD's bytes.
                return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
            }
        }

        return value;
    }

    /// <summary>Decodes RFC 2047 encoded-words ("=?UTF-8?B?...?=", "=?UTF-8?Q?...?="); words it cannot read stay as sent.</summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        // White space between two adjacent encoded-words is not part of the text (RFC 2047 section 6.2).
        var joined = AdjacentWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, match =>
        {
            Encoding encoding;
            try
            {
                encoding = Encoding.GetEncoding(match.Groups[1].Value, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            }
            catch (ArgumentException)
            {
                return match.Value;
            }

            try
            {
                var text = match.Groups[3].Value;
                var bytes = match.Groups[2].Value is "B" or "b" ? Convert.FromBase64String(text) : QDecode(text);
                return encoding.GetString(bytes);
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                return match.Value;
            }
        });
    }

    private static byte[] QDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < text.Length)
            {
                bytes.Add(Convert.FromHexString(text.AsSpan(i + 1, 2))[0]);
                i += 2;
            }
            else if (c > 0x7f || c == '=')
            {
                throw new FormatException("Not a Q-encoded word.");
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"=\?([A-Za-z0-9_\-]+)\?([BbQq])\?([^?\s]*)\?=", RegexOptions.CultureInvariant)]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?", RegexOptions.CultureInvariant)]
    private static partial Regex AdjacentWords();
}
