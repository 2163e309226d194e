using System.Globalization;

namespace Cloudkeep.Secrets;

/// <summary>Go's text forms of values, which sops encrypts and hashes; a different spelling would break the MAC.</summary>
internal static class GoFormat
{
    /// <summary>strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, never in exponent form.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e < 0)
        {
            return shortest;
        }

        var negative = shortest.StartsWith('-');
        var mantissa = shortest[(negative ? 1 : 0)..e];
        var exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string fixedForm;
        if (point <= 0)
        {
            fixedForm = "0." + new string('0', -point) + digits;
        }
        else if (point >= digits.Length)
        {
            fixedForm = digits + new string('0', point - digits.Length);
        }
        else
        {
            fixedForm = digits[..point] + "." + digits[point..];
        }

        return negative ? "-" + fixedForm : fixedForm;
    }

    /// <summary>sops writes booleans title-cased ("True"/"False"), a habit inherited from its Python version.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>The bytes a value contributes to the MAC (sops.ToBytes).</summary>
    public static byte[] MacBytes(object value) => value switch
    {
        string s => System.Text.Encoding.UTF8.GetBytes(s),
        long l => System.Text.Encoding.UTF8.GetBytes(l.ToString(CultureInfo.InvariantCulture)),
        double d => System.Text.Encoding.UTF8.GetBytes(Float(d)),
        bool b => System.Text.Encoding.UTF8.GetBytes(Bool(b)),
        byte[] raw => raw,
        SopsComment c => System.Text.Encoding.UTF8.GetBytes(c.Value),
        _ => throw new SopsException(SopsExitCodes.ErrorGeneric, $"cannot convert a value of type {value.GetType().Name} to bytes"),
    };

    /// <summary>time.Time.Format(time.RFC3339) of a UTC instant.</summary>
    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
