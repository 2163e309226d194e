using System.Text;

namespace Cloudkeep.Policy;

/// <summary>
/// A policy value (Resource entry or condition value) compiled once: either static text, or literal parts and
/// policy variables to substitute from the request context. Wildcards in literal parts are turned into
/// <see cref="Wildcard"/> sentinels when the value is a pattern.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
/// </summary>
internal sealed class ValueTemplate
{
    private readonly Part[] _parts;

    private ValueTemplate(string raw, string? staticText, Part[] parts)
    {
        Raw = raw;
        StaticText = staticText;
        _parts = parts;
        ArnLiteralPrefix = staticText is null ? -1 : LiteralArnPrefix(staticText);
    }

    /// <summary>
    /// For a static ARN pattern whose first five segments hold no wildcard: the length of its literal prefix (up to
    /// the first wildcard), so matching is a prefix comparison plus a glob of the rest; -1 otherwise.
    /// </summary>
    public int ArnLiteralPrefix { get; }

    private static int LiteralArnPrefix(string pattern)
    {
        var wildcard = pattern.AsSpan().IndexOfAny(Wildcard.Star, Wildcard.One);
        var literal = wildcard < 0 ? pattern.Length : wildcard;
        var colons = pattern.AsSpan(0, literal).Count(':');
        return colons >= 5 && pattern.StartsWith("arn:", StringComparison.Ordinal) ? literal : -1;
    }

    public string Raw { get; }

    /// <summary>The compiled text when the value has no variables; null otherwise.</summary>
    public string? StaticText { get; }

    public bool HasVariables => StaticText is null;

    // Versions before 2012-10-17 treat "${...}" as literal text.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    public static ValueTemplate Compile(string raw, bool substituteVariables, bool wildcards)
    {
        if (!substituteVariables || !raw.Contains("${", StringComparison.Ordinal))
        {
            return new ValueTemplate(raw, wildcards ? Wildcard.FromPolicyText(raw) : raw, []);
        }

        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        var hasVariable = false;
        while (i < raw.Length)
        {
            var start = raw.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : raw.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                AppendLiteral(literal, raw.AsSpan(i), wildcards);
                break;
            }

            AppendLiteral(literal, raw.AsSpan(i, start - i), wildcards);
            var inner = raw.AsSpan(start + 2, end - start - 2).Trim();
            switch (inner)
            {
                case "*":
                    literal.Append('*');
                    break;
                case "?":
                    literal.Append('?');
                    break;
                case "$":
                    literal.Append('$');
                    break;
                default:
                    if (TryParseVariable(inner, out var key, out var fallback))
                    {
                        if (literal.Length > 0)
                        {
                            parts.Add(new Part(literal.ToString(), null, null));
                            literal.Clear();
                        }

                        parts.Add(new Part(null, key, fallback));
                        hasVariable = true;
                    }
                    else
                    {
                        AppendLiteral(literal, raw.AsSpan(start, end - start + 1), wildcards);
                    }

                    break;
            }

            i = end + 1;
        }

        if (!hasVariable)
        {
            return new ValueTemplate(raw, literal.ToString(), []);
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null, null));
        }

        return new ValueTemplate(raw, null, [.. parts]);
    }

    // "${key}" or "${key, 'default'}"; two single quotes inside the default stand for one.
    private static bool TryParseVariable(ReadOnlySpan<char> inner, out string key, out string? fallback)
    {
        fallback = null;
        var comma = inner.IndexOf(',');
        var keySpan = (comma < 0 ? inner : inner[..comma]).Trim();
        key = keySpan.ToString();
        if (keySpan.IsEmpty || keySpan.ContainsAny(' ', '\'', '$'))
        {
            return false;
        }

        if (comma < 0)
        {
            return true;
        }

        var rest = inner[(comma + 1)..].Trim();
        if (rest.Length < 2 || rest[0] != '\'' || rest[^1] != '\'')
        {
            return false;
        }

        fallback = rest[1..^1].ToString().Replace("''", "'", StringComparison.Ordinal);
        return true;
    }

    private static void AppendLiteral(StringBuilder sb, ReadOnlySpan<char> text, bool wildcards)
    {
        foreach (var c in text)
        {
            sb.Append(wildcards ? c switch { '*' => Wildcard.Star, '?' => Wildcard.One, _ => c } : c);
        }
    }

    /// <summary>
    /// Substitutes the variables into <paramref name="destination"/>. Returns the length written, -1 when a
    /// variable's key is missing (or multi-valued) without a default, or -2 when the buffer is too small.
    /// </summary>
    public int Render(RequestContext context, Span<char> destination)
    {
        var length = 0;
        foreach (var part in _parts)
        {
            string? text = part.Literal;
            if (part.Key is not null)
            {
                // A variable takes a single value; a missing or multi-valued key makes the value unusable.
                text = context.TryGetSingle(part.Key, out var value) ? value : part.Default;
                if (text is null)
                {
                    return -1;
                }
            }

            if (length + text!.Length > destination.Length)
            {
                return -2;
            }

            text.AsSpan().CopyTo(destination[length..]);
            length += text.Length;
        }

        return length;
    }

    /// <summary>Rendering into a new string, for the rare value longer than the stack buffer.</summary>
    public string? RenderToString(RequestContext context)
    {
        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            var text = part.Literal;
            if (part.Key is not null)
            {
                text = context.TryGetSingle(part.Key, out var value) ? value : part.Default;
                if (text is null)
                {
                    return null;
                }
            }

            sb.Append(text);
        }

        return sb.ToString();
    }

    private readonly record struct Part(string? Literal, string? Key, string? Default);
}
