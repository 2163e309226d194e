using System.Globalization;

namespace Cloudkeep.Auth;

/// <summary>`--duration` values: whole seconds ("3600", "3600s") or hours and minutes ("1h", "90m", "1h30m").</summary>
internal static class DurationText
{
    public static int ParseSeconds(string text)
    {
        var rest = text.Trim().ToLowerInvariant();
        if (int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) && plain > 0)
        {
            return plain;
        }

        var total = 0L;
        var number = 0L;
        var digits = 0;
        var lastUnit = int.MaxValue;
        foreach (var c in rest)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (c - '0');
                digits++;
                if (number > int.MaxValue)
                {
                    throw Invalid(text);
                }

                continue;
            }

            var unit = c switch { 'h' => 3600, 'm' => 60, 's' => 1, _ => throw Invalid(text) };
            if (digits == 0 || unit >= lastUnit)
            {
                throw Invalid(text);
            }

            total += number * unit;
            lastUnit = unit;
            number = 0;
            digits = 0;
        }

        return digits != 0 || total <= 0 || total > int.MaxValue ? throw Invalid(text) : (int)total;
    }

    private static AuthException Invalid(string text) =>
        new($"--duration \"{text}\" is not a duration: use seconds (3600) or hours and minutes (1h, 90m, 1h30m).", 2);
}
