using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloudkeep.Secrets.Stores;

/// <summary>How plain YAML scalars resolve to types (the YAML 1.2 core schema that go-yaml v3 follows), and back.</summary>
internal static partial class YamlScalars
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static object? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (Decimal().IsMatch(plain) && long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (plain.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(plain[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (plain.StartsWith("0o", StringComparison.Ordinal) && plain.Length > 2 && plain[2..].All(c => c is >= '0' and <= '7'))
        {
            return Convert.ToInt64(plain[2..], 8);
        }

        if (FloatPattern().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return text;
    }

    /// <summary>A value's YAML text, quoted when a plain scalar would read back as something else.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d when double.IsNaN(d) => ".nan",
        double d => FloatText(d),
        string s => String(s),
        byte[] raw => String(System.Text.Encoding.UTF8.GetString(raw)),
        _ => String(value.ToString() ?? ""),
    };

    public static string String(string s) => IsPlainSafe(s) ? s : DoubleQuoted(s);

    private static string FloatText(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        // A float that prints like an integer must keep a float form to read back as a float.
        return Decimal().IsMatch(text) ? text + ".0" : text.Replace("E", "e", StringComparison.Ordinal);
    }

    private static bool IsPlainSafe(string s)
    {
        // Timestamps stay strings here, but go-yaml would read them as !!timestamp, so sops quotes them (lastmodified).
        if (s.Length == 0 || Resolve(s) is not string || Timestamp().IsMatch(s) || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal) || s.EndsWith(':'))
        {
            return false;
        }

        return !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal)
            && s.All(c => c >= ' ' && c != '\u007f' && c != '\u0085' && c != '\u2028' && c != '\u2029' && c != '\ufeff');
    }

    private static string DoubleQuoted(string s)
    {
        var builder = new System.Text.StringBuilder("\"");
        foreach (var c in s)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' || c == '\u007f' => $"\\x{(int)c:x2}",
                '\u0085' => "\\N",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                '\ufeff' => "\\ufeff",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
