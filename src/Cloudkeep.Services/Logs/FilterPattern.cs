using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cloudkeep.Services.Logs;

/// <summary>
/// CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription
/// filters, filter log events"), the two forms people use for searching:
/// terms — every term must appear ("ERROR Exception"), "?term" makes them alternatives, "-term"
/// excludes, "quoted phrases" keep spaces, matching is case-sensitive; and JSON —
/// { $.field = "value" &amp;&amp; ($.n &gt; 5 || $.x NOT EXISTS) } with =, !=, &lt;, &gt;, &lt;=, &gt;=,
/// IS NULL, NOT EXISTS, IS TRUE/FALSE and * wildcards in strings. An empty pattern matches
/// everything. Space-delimited patterns ([ip, user, ...]) are refused as not supported.
/// </summary>
public abstract partial class FilterPattern
{
    public static FilterPattern Everything { get; } = new TermPattern([], [], []);

    public abstract bool Matches(string message);

    /// <summary>Reads a pattern; InvalidParameterException "Invalid filter pattern" otherwise.</summary>
    public static FilterPattern Parse(string? pattern)
    {
        var text = (pattern ?? "").Trim();
        if (text.Length == 0)
        {
            return Everything;
        }

        if (text.Length > 1024)
        {
            throw Invalid();
        }

        if (text.StartsWith('{'))
        {
            return JsonPattern.Read(text);
        }

        if (text.StartsWith('['))
        {
            throw LogsErrors.InvalidParameter.ToException("Space-delimited filter patterns are not supported by Cloudkeep; use terms or a JSON pattern.");
        }

        return TermPattern.Read(text);
    }

    private static Core.Errors.AwsException Invalid() => LogsErrors.InvalidParameter.ToException("Invalid filter pattern");

    private sealed class TermPattern(List<string> required, List<string> optional, List<string> excluded) : FilterPattern
    {
        public static TermPattern Read(string text)
        {
            List<string> required = [], optional = [], excluded = [];
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == ' ')
                {
                    i++;
                    continue;
                }

                var list = required;
                if (text[i] == '?')
                {
                    list = optional;
                    i++;
                }
                else if (text[i] == '-')
                {
                    list = excluded;
                    i++;
                }

                string term;
                if (i < text.Length && text[i] == '"')
                {
                    var end = text.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        throw Invalid();
                    }

                    term = text[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    var end = text.IndexOf(' ', i);
                    end = end < 0 ? text.Length : end;
                    term = text[i..end];
                    i = end;
                }

                if (term.Length == 0)
                {
                    throw Invalid();
                }

                list.Add(term);
            }

            return new TermPattern(required, optional, excluded);
        }

        public override bool Matches(string message) =>
            required.All(t => message.Contains(t, StringComparison.Ordinal))
            && (optional.Count == 0 || optional.Any(t => message.Contains(t, StringComparison.Ordinal)))
            && !excluded.Any(t => message.Contains(t, StringComparison.Ordinal));
    }

    /// <summary>A JSON pattern: a boolean expression over JSON paths of the message, which must be a JSON object.</summary>
    private sealed class JsonPattern(Func<JsonNode, bool> predicate) : FilterPattern
    {
        public static JsonPattern Read(string text)
        {
            var tokens = Tokenize(text);
            var position = 0;
            Expect(tokens, ref position, "{");
            var predicate = Or(tokens, ref position);
            Expect(tokens, ref position, "}");
            if (position != tokens.Count)
            {
                throw Invalid();
            }

            return new JsonPattern(predicate);
        }

        public override bool Matches(string message)
        {
            try
            {
                return JsonNode.Parse(message) is JsonObject document && predicate(document);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static Func<JsonNode, bool> Or(List<string> tokens, ref int position)
        {
            var left = And(tokens, ref position);
            while (position < tokens.Count && tokens[position] == "||")
            {
                position++;
                var right = And(tokens, ref position);
                var l = left;
                left = d => l(d) || right(d);
            }

            return left;
        }

        private static Func<JsonNode, bool> And(List<string> tokens, ref int position)
        {
            var left = Term(tokens, ref position);
            while (position < tokens.Count && tokens[position] == "&&")
            {
                position++;
                var right = Term(tokens, ref position);
                var l = left;
                left = d => l(d) && right(d);
            }

            return left;
        }

        private static Func<JsonNode, bool> Term(List<string> tokens, ref int position)
        {
            if (position < tokens.Count && tokens[position] == "(")
            {
                position++;
                var inner = Or(tokens, ref position);
                Expect(tokens, ref position, ")");
                return inner;
            }

            if (position >= tokens.Count || !tokens[position].StartsWith("$.", StringComparison.Ordinal) && tokens[position] != "$")
            {
                throw Invalid();
            }

            var path = ParsePath(tokens[position++]);
            if (position + 1 < tokens.Count && tokens[position] is "IS" or "NOT")
            {
                var words = tokens[position] + " " + tokens[position + 1];
                position += 2;
                return words switch
                {
                    "IS NULL" => d => Resolve(d, path, out var v) && v is null,
                    "NOT EXISTS" => d => !Resolve(d, path, out _),
                    "IS TRUE" => d => Resolve(d, path, out var v) && v is JsonValue b && b.GetValueKind() == JsonValueKind.True,
                    "IS FALSE" => d => Resolve(d, path, out var v) && v is JsonValue b && b.GetValueKind() == JsonValueKind.False,
                    _ => throw Invalid(),
                };
            }

            if (position + 1 >= tokens.Count || tokens[position] is not ("=" or "!=" or "<" or ">" or "<=" or ">="))
            {
                throw Invalid();
            }

            var op = tokens[position++];
            var operand = tokens[position++];
            if (operand.StartsWith('"'))
            {
                if (op is not ("=" or "!="))
                {
                    throw Invalid();
                }

                var wanted = Wildcard(operand[1..^1]);
                return d => Resolve(d, path, out var v) && (Text(v) is { } text && wanted.IsMatch(text)) == (op == "=");
            }

            if (!double.TryParse(operand, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                // A bare word compares as a string (AWS accepts $.level = ERROR).
                var word = Wildcard(operand);
                return op is "=" or "!=" ? d => Resolve(d, path, out var v) && (Text(v) is { } text && word.IsMatch(text)) == (op == "=") : throw Invalid();
            }

            return d => Resolve(d, path, out var v) && v is JsonValue n && n.GetValueKind() == JsonValueKind.Number && Compare(n.GetValue<double>(), op, number);
        }

        private static bool Compare(double value, string op, double operand) => op switch
        {
            "=" => value == operand,
            "!=" => value != operand,
            "<" => value < operand,
            ">" => value > operand,
            "<=" => value <= operand,
            _ => value >= operand,
        };

        private static string? Text(JsonNode? value) => value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        };

        private static Regex Wildcard(string value) =>
            new("^" + Regex.Escape(value).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));

        /// <summary>$.a.b[0].c as steps: property names and array indexes.</summary>
        private static List<object> ParsePath(string token)
        {
            var steps = new List<object>();
            foreach (Match m in PathStep().Matches(token[1..]))
            {
                steps.Add(m.Groups[1].Success ? m.Groups[1].Value : int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }

            if (steps.Count == 0 && token != "$")
            {
                throw Invalid();
            }

            return steps;
        }

        private static bool Resolve(JsonNode document, List<object> path, out JsonNode? value)
        {
            value = document;
            foreach (var step in path)
            {
                switch (step)
                {
                    case string name when value is JsonObject o && o.TryGetPropertyValue(name, out var child):
                        value = child;
                        break;
                    case int index when value is JsonArray a && index < a.Count:
                        value = a[index];
                        break;
                    default:
                        value = null;
                        return false;
                }
            }

            return true;
        }

        private static void Expect(List<string> tokens, ref int position, string token)
        {
            if (position >= tokens.Count || tokens[position] != token)
            {
                throw Invalid();
            }

            position++;
        }

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '{' or '}' or '(' or ')')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == '"')
                {
                    var end = text.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        throw Invalid();
                    }

                    tokens.Add(text[i..(end + 1)]);
                    i = end + 1;
                }
                else if (text.AsSpan(i).StartsWith("&&") || text.AsSpan(i).StartsWith("||") || text.AsSpan(i).StartsWith("!=") || text.AsSpan(i).StartsWith("<=") || text.AsSpan(i).StartsWith(">="))
                {
                    tokens.Add(text.Substring(i, 2));
                    i += 2;
                }
                else if (c is '=' or '<' or '>')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or '(' or ')' or '=' or '<' or '>' or '!' or '&' or '|' or '"'))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        throw Invalid();
                    }

                    tokens.Add(text[start..i]);
                }
            }

            return tokens;
        }
    }

    [GeneratedRegex(@"\.([A-Za-z0-9_@-]+)|\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathStep();
}
