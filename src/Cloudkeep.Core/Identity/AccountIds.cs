using System.Security.Cryptography;

namespace Cloudkeep.Core.Identity;

/// <summary>12-digit AWS account ids.</summary>
public static class AccountIds
{
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length != 12)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A random account id; the first digit is never 0 so ids survive numeric tooling.</summary>
    public static string NewRandom()
    {
        Span<char> digits = stackalloc char[12];
        digits[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        return new string(digits);
    }
}
