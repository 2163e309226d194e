namespace Cloudkeep.Policy;

/// <summary>
/// Glob matching over compiled patterns. A compiled pattern marks its wildcards with private-use sentinels, so a
/// literal '*' or '?' (from the escapes ${*} and ${?}, or from a substituted variable value) never acts as one.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
/// </summary>
internal static class Wildcard
{
    public const char Star = '\uE000';
    public const char One = '\uE001';

    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny(Star, One) >= 0;

    /// <summary>Converts raw policy text to a pattern where '*' and '?' are wildcards.</summary>
    public static string FromPolicyText(string text) => text.Replace('*', Star).Replace('?', One);

    // Iterative matching with one backtrack point: linear in practice and never recursive, so hostile
    // patterns cannot blow the stack.
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> input, bool ignoreCase)
    {
        int p = 0, i = 0, starP = -1, starI = 0;
        while (i < input.Length)
        {
            if (p < pattern.Length)
            {
                var pc = pattern[p];
                if (pc == Star)
                {
                    starP = p++;
                    starI = i;
                    continue;
                }

                if (pc == One || CharEquals(pc, input[i], ignoreCase))
                {
                    p++;
                    i++;
                    continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            i = ++starI;
        }

        while (p < pattern.Length && pattern[p] == Star)
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool CharEquals(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    /// <summary>
    /// ARN matching: the first five colon-separated segments match one by one, so a wildcard there never spans a
    /// colon; the resource segment (which may itself hold colons) matches as a whole.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    /// </summary>
    public static bool IsArnMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> input)
    {
        if (pattern.Length == 1 && pattern[0] == Star)
        {
            return true;
        }

        for (var segment = 0; segment < 5; segment++)
        {
            var pc = pattern.IndexOf(':');
            var ic = input.IndexOf(':');
            if (pc < 0 && ic >= 0)
            {
                // A short ARN ending in a wildcard ("arn:aws:sqs:*") stands for every remaining segment.
                return pattern.Length > 0 && pattern[^1] == Star && IsMatch(pattern, input[..ic], ignoreCase: false);
            }

            if (pc < 0 || ic < 0)
            {
                // Not an ARN on one side: fall back to whole-string matching of what is left.
                return pc < 0 && ic < 0 && IsMatch(pattern, input, ignoreCase: false);
            }

            if (!IsMatch(pattern[..pc], input[..ic], ignoreCase: false))
            {
                return false;
            }

            pattern = pattern[(pc + 1)..];
            input = input[(ic + 1)..];
        }

        return IsMatch(pattern, input, ignoreCase: false);
    }
}
