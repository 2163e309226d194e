using System.Text;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// Domain names as Route 53 keeps them: lower case, fully qualified with a trailing dot (it treats
/// "www.example.com" and "www.example.com." as one name), "*" written back as the octal escape
/// "\052" ("DNS domain name format", Route 53 Developer Guide).
/// </summary>
public static class DnsNames
{
    /// <summary>The canonical form of a name, or null with the reason it is not a domain name.</summary>
    public static string? Normalize(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "Domain name is empty";
            return null;
        }

        var name = Unescape(text.Trim()).ToLowerInvariant();
        if (name == ".")
        {
            return name;
        }

        if (!name.EndsWith('.'))
        {
            name += ".";
        }

        var labels = name[..^1].Split('.');
        if (name.Length > 255)
        {
            problem = "Domain name is too long";
            return null;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                problem = "Domain label is empty";
                return null;
            }

            if (label.Length > 63)
            {
                problem = "Domain label is too long";
                return null;
            }

            // The wildcard must be the whole leftmost label ("*.example.com", never "*prod.example.com").
            if (label.Contains('*', StringComparison.Ordinal) && (label != "*" || i != 0))
            {
                problem = "Domain name contains an asterisk that is not the whole leftmost label";
                return null;
            }

            if (label.Any(c => c <= ' ' || c > '~'))
            {
                problem = "Domain name contains characters that are not printable ASCII";
                return null;
            }
        }

        return name;
    }

    /// <summary>The name as Route 53's answers write it: "*" as "\052".</summary>
    public static string Display(string name) =>
        name.StartsWith("*.", StringComparison.Ordinal) ? @"\052" + name[1..] : name;

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or below it.</summary>
    public static bool IsInZone(string name, string zone) =>
        zone == "." || name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);

    /// <summary>
    /// The key Route 53 lists names by: the labels reversed ("www.example.com." sorts as
    /// "com.example.www"), compared as text (ListResourceRecordSets, ListHostedZonesByName).
    /// </summary>
    public static string SortKey(string name)
    {
        var trimmed = name.TrimEnd('.');
        var labels = trimmed.Split('.');
        Array.Reverse(labels);
        return string.Join('.', labels);
    }

    /// <summary>The name one label up ("www.example.com." → "example.com."); null at the root.</summary>
    public static string? Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 || dot == name.Length - 1 ? (name == "." ? null : ".") : name[(dot + 1)..];
    }

    /// <summary>Reads "\ooo" octal escapes, as Route 53 writes them ("\052" is "*").</summary>
    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) && IsOctal(text[i + 3]))
            {
                builder.Append((char)(((text[i + 1] - '0') * 64) + ((text[i + 2] - '0') * 8) + (text[i + 3] - '0')));
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
