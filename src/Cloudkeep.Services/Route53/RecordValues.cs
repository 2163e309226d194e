using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// The record types Cloudkeep serves and the value grammar of each ("Supported DNS record types",
/// Route 53 Developer Guide). A bad value is named as Route 53 names it: "Invalid Resource Record:
/// 'FATAL problem: &lt;CODE&gt; (&lt;reason&gt;) encountered with '&lt;value&gt;''".
/// </summary>
public static class RecordValues
{
    public static readonly IReadOnlySet<string> Served = new HashSet<string>(StringComparer.Ordinal)
    {
        "A", "AAAA", "CNAME", "TXT", "MX", "NS", "SOA", "SRV", "CAA", "PTR",
    };

    /// <summary>The problem with one value of a record of <paramref name="type"/>, or null when it is well formed.</summary>
    public static string? Check(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var problem = type switch
        {
            "A" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') == 3
                ? null : ("ARRDATAIllegalIPv4Address", "Value is not a valid IPv4 address"),
            "AAAA" => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? null : ("AAAARRDATAIllegalIPv6Address", "Value is not a valid IPv6 address"),
            "CNAME" or "NS" or "PTR" => IsHost(value) ? null : ("DomainLabelEmpty", "Domain label is empty"),
            "TXT" => CharacterStrings(value) is { } strings
                ? strings.Any(s => s.Length > 255) ? ("TXTRDATATooLong", "Value is too long") : null
                : ("InvalidCharacterString", "Value should be enclosed in quotation marks"),
            "MX" => Fields(value, 2) is [var preference, var host] && UShort(preference) && IsHost(host)
                ? null : ("MXRRDATAIncorrectNumberOfFields", "Value must have a 16-bit priority and a domain name"),
            "SRV" => Fields(value, 4) is [var priority, var weight, var port, var target] && UShort(priority) && UShort(weight) && UShort(port) && IsHost(target)
                ? null : ("SRVRRDATAIncorrectNumberOfFields", "Value must have priority, weight, port and a domain name"),
            "SOA" => Fields(value, 7) is [var mname, var rname, .. var numbers] && IsHost(mname) && IsHost(rname) && numbers.All(UInt)
                ? null : ("SOARRDATAIncorrectNumberOfFields", "Value must have a name server, a mailbox and five numbers"),
            "CAA" => Caa(value) ? null : ("CAARRDATAIllegalValue", "Value must be a flag, a tag and a quoted value"),
            _ => ((string Code, string Reason)?)null,
        };
        return problem is { } p ? $"Invalid Resource Record: 'FATAL problem: {p.Code} ({p.Reason}) encountered with '{value}''" : null;
    }

    /// <summary>The character strings of a TXT value: quoted strings (with \" and \\ escapes) or bare words; null when a quote is left open.</summary>
    public static IReadOnlyList<string>? CharacterStrings(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new List<string>();
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == ' ')
            {
                i++;
                continue;
            }

            var builder = new System.Text.StringBuilder();
            if (value[i] == '"')
            {
                i++;
                var closed = false;
                while (i < value.Length)
                {
                    if (value[i] == '\\' && i + 1 < value.Length)
                    {
                        builder.Append(value[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (value[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    builder.Append(value[i++]);
                }

                if (!closed)
                {
                    return null;
                }
            }
            else
            {
                while (i < value.Length && value[i] != ' ')
                {
                    builder.Append(value[i++]);
                }
            }

            result.Add(builder.ToString());
        }

        return result;
    }

    /// <summary>The space-separated fields of a value when there are exactly <paramref name="count"/>; null otherwise.</summary>
    public static string[]? Fields(string value, int count)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == count ? fields : null;
    }

    private static bool Caa(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !byte.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var rest = value[(space + 1)..].TrimStart();
        var second = rest.IndexOf(' ', StringComparison.Ordinal);
        return second > 0 && rest[..second].All(char.IsAsciiLetterOrDigit) && CharacterStrings(rest[(second + 1)..]) is [_];
    }

    private static bool IsHost(string value) => DnsNames.Normalize(value, out _) is not null && !value.Contains(' ', StringComparison.Ordinal);

    private static bool UShort(string text) => ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static bool UInt(string text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
