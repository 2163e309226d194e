using System.Buffers;
using System.Text;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// URI encoding as SigV4 defines it: every byte except the unreserved characters
/// A-Z a-z 0-9 '-' '.' '_' '~' becomes %XY with upper-case hex ("URI-encode each parameter name
/// and value", AWS IAM User Guide, "Create a canonical request").
/// </summary>
public static class AwsUriEncoding
{
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    private const string HexUpper = "0123456789ABCDEF";

    public static void Append(StringBuilder builder, ReadOnlySpan<char> value, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[8];
        var i = 0;
        while (i < value.Length)
        {
            var next = value[i..].IndexOfAnyExcept(Unreserved);
            if (next < 0)
            {
                builder.Append(value[i..]);
                return;
            }

            builder.Append(value.Slice(i, next));
            i += next;
            var c = value[i];
            if (c == '/' && keepSlash)
            {
                builder.Append('/');
                i++;
                continue;
            }

            // Encode one scalar (surrogate pairs together) as its UTF-8 bytes.
            var length = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var written = Encoding.UTF8.GetBytes(value.Slice(i, length), utf8);
            for (var b = 0; b < written; b++)
            {
                builder.Append('%').Append(HexUpper[utf8[b] >> 4]).Append(HexUpper[utf8[b] & 0xF]);
            }

            i += length;
        }
    }

    public static string Encode(string value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length + 16);
        Append(builder, value, keepSlash);
        return builder.ToString();
    }

    /// <summary>
    /// Percent-decodes a URI component into UTF-8 text. Invalid escapes are kept literally (AWS
    /// does the same); '+' stays '+', since SigV4 clients send spaces as %20.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> value, out string decoded)
    {
        if (!value.Contains('%'))
        {
            decoded = value.ToString();
            return true;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(value.Length * 3);
        try
        {
            var n = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
                {
                    bytes[n++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                    i += 2;
                }
                else if (c < 0x80)
                {
                    bytes[n++] = (byte)c;
                }
                else
                {
                    n += Encoding.UTF8.GetBytes(value.Slice(i, 1), bytes.AsSpan(n));
                }
            }

            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                decoded = strict.GetString(bytes, 0, n);
                return true;
            }
            catch (DecoderFallbackException)
            {
                decoded = "";
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
