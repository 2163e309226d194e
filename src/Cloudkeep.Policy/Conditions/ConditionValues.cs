using System.Globalization;

namespace Cloudkeep.Policy;

/// <summary>Parsing of condition values shared by the compiled form and the interpreter.</summary>
internal static class ConditionValues
{
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    // Dates are ISO 8601 or epoch seconds.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
    public static bool TryParseDate(ReadOnlySpan<char> text, out long utcTicks)
    {
        utcTicks = 0;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            if (epoch > 253_402_300_799)
            {
                return false;
            }

            utcTicks = DateTimeOffset.UnixEpoch.UtcTicks + (epoch * TimeSpan.TicksPerSecond);
            return true;
        }

        if (TryParseCanonicalUtc(text, out utcTicks))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            utcTicks = date.UtcTicks;
            return true;
        }

        return false;
    }

    // The form AWS itself fills aws:CurrentTime with ("2026-11-22T12:00:00Z", optionally with fractional seconds),
    // parsed by hand: the general parser costs more than the rest of a typical decision.
    private static bool TryParseCanonicalUtc(ReadOnlySpan<char> t, out long utcTicks)
    {
        utcTicks = 0;
        if (t.Length < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[^1] != 'Z')
        {
            return false;
        }

        if (!Digits(t[..4], out var year) || !Digits(t.Slice(5, 2), out var month) || !Digits(t.Slice(8, 2), out var day)
            || !Digits(t.Slice(11, 2), out var hour) || !Digits(t.Slice(14, 2), out var minute) || !Digits(t.Slice(17, 2), out var second))
        {
            return false;
        }

        long fraction = 0;
        var rest = t[19..^1];
        if (!rest.IsEmpty)
        {
            if (rest[0] != '.' || rest.Length > 8 || !Digits(rest[1..], out var f) || rest.Length == 1)
            {
                return false;
            }

            fraction = f;
            for (var i = rest.Length - 1; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    public static bool TryParseBool(ReadOnlySpan<char> text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    public static bool CompareNumbers(ConditionTest test, double request, double policy) => test switch
    {
        ConditionTest.NumericEquals => request == policy,
        ConditionTest.NumericLessThan => request < policy,
        ConditionTest.NumericLessThanEquals => request <= policy,
        ConditionTest.NumericGreaterThan => request > policy,
        ConditionTest.NumericGreaterThanEquals => request >= policy,
        _ => false,
    };

    public static bool CompareDates(ConditionTest test, long request, long policy) => test switch
    {
        ConditionTest.DateEquals => request == policy,
        ConditionTest.DateLessThan => request < policy,
        ConditionTest.DateLessThanEquals => request <= policy,
        ConditionTest.DateGreaterThan => request > policy,
        ConditionTest.DateGreaterThanEquals => request >= policy,
        _ => false,
    };
}
