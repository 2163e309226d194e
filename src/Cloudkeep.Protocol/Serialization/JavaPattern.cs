using System.Text;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// The models' patterns are Java regular expressions, where \w, \d and \s are ASCII only (java.util.regex.Pattern:
/// "\w  A word character: [a-zA-Z_0-9]"); in .NET they match any script's letters, digits and spaces, so an IAM
/// user named "zoë" would pass "[\w+=,.@-]+", which AWS refuses. This rewrites them to their ASCII classes.
/// </summary>
public static class JavaPattern
{
    public static string ToDotNet(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                var ascii = next switch
                {
                    'w' => "a-zA-Z0-9_",
                    'd' => "0-9",
                    's' => @" \t\n\x0B\f\r",
                    _ => null,
                };
                if (ascii is null)
                {
                    result.Append(c).Append(next);
                }
                else
                {
                    result.Append(inClass ? ascii : "[" + ascii + "]");
                }

                continue;
            }

            if (c == '[' && !inClass)
            {
                inClass = true;
            }
            else if (c == ']' && inClass && pattern[i - 1] != '[' && !(pattern[i - 1] == '^' && pattern[i - 2] == '['))
            {
                inClass = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
