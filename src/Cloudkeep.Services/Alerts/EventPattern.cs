using System.Net;
using System.Text.Json;

namespace Cloudkeep.Services.Alerts;

/// <summary>
/// An EventBridge event pattern, compiled once and matched against events as a pure function
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and
/// eb-create-pattern-operators.html). A pattern is an object whose fields are either nested
/// patterns or arrays of matchers; an event matches when every field matches (and one alternative
/// of every "$or"). A leaf matches when any of its matchers matches the event's value, or, when the
/// event's value is an array, any of its elements. Matchers: literals (strings, numbers compared as
/// numbers, true, false, null), prefix, suffix, equals-ignore-case, wildcard, anything-but,
/// numeric, exists and cidr. A field the event lacks matches only "exists": false.
/// </summary>
public sealed class EventPattern
{
    private readonly FieldsNode _root;

    private EventPattern(FieldsNode root, string json)
    {
        _root = root;
        Json = json;
    }

    /// <summary>The pattern as it was given.</summary>
    public string Json { get; }

    /// <summary>
    /// The strings the field at <paramref name="path"/> must equal exactly for the pattern to match, or null when
    /// the pattern does not confine that field to plain literals. Alternatives ("$or") only narrow a match further,
    /// so they are not needed here: an event whose field is outside the set cannot match.
    /// </summary>
    public IReadOnlySet<string>? RequiredStrings(params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Node node = _root;
        foreach (var name in path)
        {
            if (node is not FieldsNode fields || fields.Find(name) is not { } child)
            {
                return null;
            }

            node = child;
        }

        return node is LeafNode leaf ? leaf.PlainStrings() : null;
    }

    /// <summary>Compiles a pattern, or throws <see cref="EventPatternException"/> listing every problem found.</summary>
    public static EventPattern Parse(string json) =>
        TryParse(json, out var pattern, out var problems) ? pattern : throw new EventPatternException(problems);

    public static bool TryParse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventPattern? pattern, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        pattern = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            found.Add($"not JSON: {e.Message}");
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                found.Add("a pattern is a JSON object");
                return false;
            }

            var root = Fields(document.RootElement, "", found);
            if (found.Count > 0)
            {
                return false;
            }

            pattern = new EventPattern(root, json);
            return true;
        }
    }

    public bool Matches(JsonElement @event) => _root.Matches(@event, present: true);

    private static FieldsNode Fields(JsonElement element, string path, List<string> problems)
    {
        var fields = new List<(string, Node)>();
        var alternatives = new List<FieldsNode[]>();
        if (!element.EnumerateObject().Any())
        {
            problems.Add($"{Where(path)}: an empty object matches nothing; leave the field out instead");
        }

        foreach (var property in element.EnumerateObject())
        {
            var at = path.Length == 0 ? property.Name : path + "." + property.Name;
            if (property.Name == "$or")
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() < 2
                    || property.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.Object))
                {
                    problems.Add($"{at}: \"$or\" takes an array of two or more patterns (objects)");
                    continue;
                }

                alternatives.Add([.. property.Value.EnumerateArray().Select((a, i) => Fields(a, $"{at}[{i}]", problems))]);
                continue;
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    fields.Add((property.Name, Fields(property.Value, at, problems)));
                    break;
                case JsonValueKind.Array when property.Value.GetArrayLength() > 0:
                    fields.Add((property.Name, new LeafNode([.. property.Value.EnumerateArray().Select((m, i) => Matcher.Parse(m, $"{at}[{i}]", problems))])));
                    break;
                case JsonValueKind.Array:
                    problems.Add($"{at}: an empty array matches nothing");
                    break;
                default:
                    problems.Add($"{at}: a field's value is an object (a nested pattern) or an array of matchers, not {property.Value.ValueKind.ToString().ToLowerInvariant()}");
                    break;
            }
        }

        return new FieldsNode(fields, alternatives);
    }

    private static string Where(string path) => path.Length == 0 ? "the pattern" : path;

    private abstract class Node
    {
        /// <summary>Whether the node matches <paramref name="value"/>; <paramref name="present"/> false when the event lacks the field.</summary>
        public abstract bool Matches(JsonElement value, bool present);
    }

    private sealed class FieldsNode(List<(string Name, Node Node)> fields, List<FieldsNode[]> alternatives) : Node
    {
        public Node? Find(string name) => fields.FirstOrDefault(f => f.Name == name).Node;

        public override bool Matches(JsonElement value, bool present)
        {
            // An array of objects matches when one of its elements does.
            if (present && value.ValueKind == JsonValueKind.Array)
            {
                return value.EnumerateArray().Any(e => Matches(e, true));
            }

            var isObject = present && value.ValueKind == JsonValueKind.Object;
            foreach (var (name, node) in fields)
            {
                JsonElement child = default;
                var has = isObject && value.TryGetProperty(name, out child);
                if (!node.Matches(child, has))
                {
                    return false;
                }
            }

            return alternatives.All(any => any.Any(a => a.Matches(value, present)));
        }
    }

    private sealed class LeafNode(List<Matcher> matchers) : Node
    {
        public HashSet<string>? PlainStrings()
        {
            var strings = new HashSet<string>(StringComparer.Ordinal);
            foreach (var matcher in matchers)
            {
                if (matcher is not Exact { PlainString: { } text })
                {
                    return null;
                }

                strings.Add(text);
            }

            return strings;
        }

        public override bool Matches(JsonElement value, bool present)
        {
            if (present && value.ValueKind == JsonValueKind.Array)
            {
                // An empty array is no value at all: only "exists": false matches it.
                return value.GetArrayLength() == 0
                    ? matchers.Any(m => m.MatchesAbsent)
                    : value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object && e.ValueKind != JsonValueKind.Array && matchers.Any(m => m.Matches(e)));
            }

            // Matchers apply to leaves: an object where a leaf is expected matches nothing but "exists": false does not either.
            if (!present)
            {
                return matchers.Any(m => m.MatchesAbsent);
            }

            return value.ValueKind != JsonValueKind.Object && matchers.Any(m => m.Matches(value));
        }
    }

    private abstract class Matcher
    {
        public virtual bool MatchesAbsent => false;

        public abstract bool Matches(JsonElement value);

        public static Matcher Parse(JsonElement element, string at, List<string> problems)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                case JsonValueKind.Null:
                    return new Exact(element.Clone());
                case JsonValueKind.Object:
                    break;
                default:
                    problems.Add($"{at}: a matcher is a literal or an object such as {{\"prefix\": \"...\"}}");
                    return Never.Instance;
            }

            var properties = element.EnumerateObject().ToList();
            if (properties.Count != 1)
            {
                problems.Add($"{at}: a matcher object has exactly one operator, not {properties.Count}");
                return Never.Instance;
            }

            var (op, argument) = (properties[0].Name, properties[0].Value);
            switch (op)
            {
                case "prefix":
                case "suffix":
                    {
                        var (text, ignoreCase) = StringOrIgnoreCase(argument, $"{at}.{op}", problems);
                        return op == "prefix" ? new Prefix(text, ignoreCase) : new Suffix(text, ignoreCase);
                    }

                case "equals-ignore-case":
                    return new Exact(default, argument.ValueKind == JsonValueKind.String ? argument.GetString()! : Problem<string>(problems, $"{at}.{op}: takes a string", ""));
                case "wildcard":
                    return argument.ValueKind == JsonValueKind.String
                        ? Wildcard.Compile(argument.GetString()!, $"{at}.{op}", problems)
                        : Problem<Matcher>(problems, $"{at}.{op}: takes a string", Never.Instance);
                case "exists":
                    return argument.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? new Exists(argument.ValueKind == JsonValueKind.True)
                        : Problem<Matcher>(problems, $"{at}.exists: takes true or false", Never.Instance);
                case "anything-but":
                    return AnythingBut.Create(argument, $"{at}.{op}", problems);
                case "numeric":
                    return Numeric.Create(argument, $"{at}.{op}", problems);
                case "cidr":
                    return argument.ValueKind == JsonValueKind.String && IPNetwork.TryParse(argument.GetString(), out var network)
                        ? new Cidr(network)
                        : Problem<Matcher>(problems, $"{at}.cidr: takes a CIDR block such as \"10.0.0.0/24\"", Never.Instance);
                default:
                    problems.Add($"{at}: unknown operator \"{op}\" (prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr)");
                    return Never.Instance;
            }
        }

        protected static (string Text, bool IgnoreCase) StringOrIgnoreCase(JsonElement argument, string at, List<string> problems)
        {
            if (argument.ValueKind == JsonValueKind.String)
            {
                return (argument.GetString()!, false);
            }

            if (argument.ValueKind == JsonValueKind.Object && argument.EnumerateObject().ToList() is [{ Name: "equals-ignore-case", Value.ValueKind: JsonValueKind.String } only])
            {
                return (only.Value.GetString()!, true);
            }

            problems.Add($"{at}: takes a string or {{\"equals-ignore-case\": \"...\"}}");
            return ("", false);
        }

        protected static T Problem<T>(List<string> problems, string problem, T fallback)
        {
            problems.Add(problem);
            return fallback;
        }
    }

    private sealed class Never : Matcher
    {
        public static readonly Never Instance = new();

        public override bool Matches(JsonElement value) => false;
    }

    /// <summary>A literal (or, with <paramref name="ignoreCase"/>, equals-ignore-case). Numbers compare as numbers: 300 matches 300.0.</summary>
    private sealed class Exact(JsonElement literal, string? ignoreCase = null) : Matcher
    {
        public override bool Matches(JsonElement value)
        {
            if (ignoreCase is not null)
            {
                return value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), ignoreCase, StringComparison.OrdinalIgnoreCase);
            }

            return (literal.ValueKind, value.ValueKind) switch
            {
                (JsonValueKind.String, JsonValueKind.String) => value.ValueEquals(literal.GetString()),
                (JsonValueKind.Number, JsonValueKind.Number) => Numbers.Equal(literal, value),
                (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null, var kind) => kind == literal.ValueKind,
                _ => false,
            };
        }

        /// <summary>The literal when it is a string compared exactly; null otherwise.</summary>
        public string? PlainString => ignoreCase is null && literal.ValueKind == JsonValueKind.String ? literal.GetString() : null;

        public bool MatchesString(string text) => ignoreCase is not null
            ? string.Equals(text, ignoreCase, StringComparison.OrdinalIgnoreCase)
            : literal.ValueKind == JsonValueKind.String && literal.ValueEquals(text);
    }

    private sealed class Prefix(string prefix, bool ignoreCase) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(prefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed class Suffix(string suffix, bool ignoreCase) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.EndsWith(suffix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed class Exists(bool wanted) : Matcher
    {
        public override bool MatchesAbsent => !wanted;

        public override bool Matches(JsonElement value) => wanted;
    }

    /// <summary>
    /// "*" matches any run of characters (none included); "\*" is a literal star and "\\" a
    /// backslash. AWS refuses two stars in a row, and so does this.
    /// </summary>
    private sealed class Wildcard(IReadOnlyList<string> parts) : Matcher
    {
        public static Matcher Compile(string pattern, string at, List<string> problems)
        {
            var parts = new List<string>();
            var current = new System.Text.StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\')
                {
                    current.Append(pattern[++i]);
                }
                else if (c == '*')
                {
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        problems.Add($"{at}: consecutive wildcard characters are not allowed");
                        return Never.Instance;
                    }

                    parts.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }
            }

            parts.Add(current.ToString());
            return new Wildcard(parts);
        }

        public override bool Matches(JsonElement value) => value.ValueKind == JsonValueKind.String && MatchesString(value.GetString()!);

        public bool MatchesString(string text)
        {
            // parts[0] is a prefix, parts[^1] a suffix, the ones between are found in order (greedy leftmost is enough for "*" alone).
            if (parts.Count == 1)
            {
                return text == parts[0];
            }

            if (text.Length < parts.Sum(p => p.Length) || !text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal))
            {
                return false;
            }

            var at = parts[0].Length;
            var end = text.Length - parts[^1].Length;
            for (var i = 1; i < parts.Count - 1; i++)
            {
                var found = text.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
                if (found < 0)
                {
                    return false;
                }

                at = found + parts[i].Length;
            }

            return at <= end;
        }
    }

    /// <summary>Matches a present value that none of the listed values or the one operator matches.</summary>
    private sealed class AnythingBut(Func<JsonElement, bool> excluded) : Matcher
    {
        public static Matcher Create(JsonElement argument, string at, List<string> problems)
        {
            switch (argument.ValueKind)
            {
                case JsonValueKind.String or JsonValueKind.Number:
                    {
                        var only = new Exact(argument.Clone());
                        return new AnythingBut(only.Matches);
                    }

                case JsonValueKind.Array when argument.GetArrayLength() > 0
                    && (argument.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) || argument.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number)):
                    {
                        var values = argument.EnumerateArray().Select(e => new Exact(e.Clone())).ToList();
                        return new AnythingBut(v => values.Any(m => m.Matches(v)));
                    }

                case JsonValueKind.Object when argument.EnumerateObject().ToList() is [var only]:
                    {
                        switch (only.Name)
                        {
                            case "prefix":
                            case "suffix":
                                if (only.Value.ValueKind != JsonValueKind.String)
                                {
                                    break;
                                }

                                Matcher inner = only.Name == "prefix" ? new Prefix(only.Value.GetString()!, false) : new Suffix(only.Value.GetString()!, false);
                                return new AnythingBut(inner.Matches);
                            case "equals-ignore-case" when only.Value.ValueKind == JsonValueKind.String:
                                return new AnythingBut(new Exact(default, only.Value.GetString()).Matches);
                            case "equals-ignore-case" when only.Value.ValueKind == JsonValueKind.Array && only.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                                {
                                    var values = only.Value.EnumerateArray().Select(e => new Exact(default, e.GetString())).ToList();
                                    return new AnythingBut(v => values.Any(m => m.Matches(v)));
                                }

                            case "wildcard" when only.Value.ValueKind == JsonValueKind.String:
                                return new AnythingBut(Wildcard.Compile(only.Value.GetString()!, $"{at}.wildcard", problems).Matches);
                        }

                        break;
                    }
            }

            problems.Add($"{at}: takes a string, a number, an array of strings or of numbers, or one of prefix, suffix, equals-ignore-case, wildcard");
            return Never.Instance;
        }

        public override bool Matches(JsonElement value) => !excluded(value);
    }

    /// <summary>"numeric": [op, number, op, number]: every comparison holds (numbers only; strings never match).</summary>
    private sealed class Numeric(IReadOnlyList<(string Op, double Bound)> comparisons) : Matcher
    {
        private static readonly string[] Operators = ["<", "<=", "=", ">", ">="];

        public static Matcher Create(JsonElement argument, string at, List<string> problems)
        {
            if (argument.ValueKind != JsonValueKind.Array || argument.GetArrayLength() is not (2 or 4))
            {
                problems.Add($"{at}: takes [operator, number] or [operator, number, operator, number]");
                return Never.Instance;
            }

            var items = argument.EnumerateArray().ToList();
            var comparisons = new List<(string, double)>();
            for (var i = 0; i < items.Count; i += 2)
            {
                if (items[i].ValueKind != JsonValueKind.String || !Operators.Contains(items[i].GetString()) || items[i + 1].ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"{at}[{i}]: an operator (<, <=, =, >, >=) followed by a number");
                    return Never.Instance;
                }

                comparisons.Add((items[i].GetString()!, items[i + 1].GetDouble()));
            }

            if (comparisons.Count == 2 && (comparisons.Any(c => c.Item1 == "=") || comparisons[0].Item1[0] == comparisons[1].Item1[0]))
            {
                problems.Add($"{at}: two comparisons must bound the value from below and from above");
                return Never.Instance;
            }

            return new Numeric(comparisons);
        }

        public override bool Matches(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }

            var number = value.GetDouble();
            return comparisons.All(c => c.Op switch
            {
                "<" => number < c.Bound,
                "<=" => number <= c.Bound,
                "=" => number == c.Bound,
                ">" => number > c.Bound,
                _ => number >= c.Bound,
            });
        }
    }

    private sealed class Cidr(IPNetwork network) : Matcher
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && IPAddress.TryParse(value.GetString(), out var address) && network.Contains(address);
    }

    private static class Numbers
    {
        public static bool Equal(JsonElement a, JsonElement b) =>
            a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble() == b.GetDouble();
    }
}

/// <summary>A pattern that does not compile; <see cref="Problems"/> lists every reason, each with its place in the pattern.</summary>
public sealed class EventPatternException(IReadOnlyList<string> problems) : Exception("invalid event pattern: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
