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

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            utcTicks = date.UtcTicks;
            return true;
        }

        return false;
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
