using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Checks a decoded input against the model's constraints (required, length and range, enum,
/// pattern) and collects every problem, in AWS's wording: "2 validation errors detected: Value null
/// at 'userName' failed to satisfy constraint: Member must not be null; ...".
/// </summary>
public static class InputValidator
{
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

    public static IReadOnlyList<InputProblem> Validate(Shape shape, JsonObject input)
    {
        var problems = new List<InputProblem>();
        ValidateStructure(shape, input, "", problems, depth: 0);
        return problems;
    }

    public static string FormatMessage(IReadOnlyList<InputProblem> problems) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{problems.Count} validation error{(problems.Count == 1 ? "" : "s")} detected: {string.Join("; ", problems.Select(p => p.Message))}");

    private static void ValidateStructure(Shape shape, JsonObject value, string path, List<InputProblem> problems, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        foreach (var member in shape.Members)
        {
            var memberPath = path.Length == 0 ? LowerFirst(member.Name) : path + "." + LowerFirst(member.Name);
            value.TryGetPropertyValue(member.Name, out var node);
            if (node is null)
            {
                if (shape.Required.Contains(member.Name))
                {
                    problems.Add(new(InputProblemKind.Required, $"Value null at '{memberPath}' failed to satisfy constraint: Member must not be null"));
                }

                continue;
            }

            ValidateValue(member.Shape, node, memberPath, problems, depth + 1);
        }
    }

    private static void ValidateValue(Shape shape, JsonNode node, string path, List<InputProblem> problems, int depth)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure when node is JsonObject obj:
                ValidateStructure(shape, obj, path, problems, depth);
                break;
            case ShapeType.List when node is JsonArray array:
                CheckLength(shape, array.Count, $"Value '{Describe(node)}'", path, problems, "length");
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        ValidateValue(shape.ListMember!.Shape, item, path + ".member", problems, depth + 1);
                    }
                }

                break;
            case ShapeType.Map when node is JsonObject map:
                CheckLength(shape, map.Count, $"Value '{Describe(node)}'", path, problems, "length");
                break;
            case ShapeType.String when node is JsonValue v && v.TryGetValue<string>(out var text):
                var shown = shape.Sensitive ? "*** Sensitive Data Redacted ***" : text;
                var length = new StringInfo(text).LengthInTextElements;
                CheckLength(shape, length, $"Value '{shown}'", path, problems, "length");
                if (shape.Enum is { } values && !values.Contains(text))
                {
                    problems.Add(new(InputProblemKind.Enum, $"Value '{shown}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", values)}]"));
                }

                if (shape.Pattern is { } pattern && GetPattern(pattern) is { } regex && !Matches(regex, text, length, shape.Max))
                {
                    problems.Add(new(InputProblemKind.Pattern, $"Value '{shown}' at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"));
                }

                break;
            case ShapeType.Integer or ShapeType.Long when node is JsonValue n && n.TryGetValue<long>(out var number):
                if (shape.Min is { } min && number < min)
                {
                    problems.Add(new(InputProblemKind.MinValue, $"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min}"));
                }

                if (shape.Max is { } max && number > max)
                {
                    problems.Add(new(InputProblemKind.MaxValue, $"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max}"));
                }

                break;
            default:
                break;
        }
    }

    /// <summary>
    /// A value already longer than the shape allows is not matched (its length is the problem
    /// reported), and one the pattern cannot decide within its time limit does not match: either
    /// way the request is refused, never failed.
    /// </summary>
    private static bool Matches(Regex regex, string text, int length, double? max)
    {
        if (max is { } limit && length > limit)
        {
            return true;
        }

        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void CheckLength(Shape shape, int length, string shown, string path, List<InputProblem> problems, string word)
    {
        if (shape.Min is { } min && length < min)
        {
            problems.Add(new(InputProblemKind.MinLength, $"{shown} at '{path}' failed to satisfy constraint: Member must have {word} greater than or equal to {min}"));
        }

        if (shape.Max is { } max && length > max)
        {
            problems.Add(new(InputProblemKind.MaxLength, $"{shown} at '{path}' failed to satisfy constraint: Member must have {word} less than or equal to {max}"));
        }
    }

    /// <summary>
    /// The models' patterns are Java regular expressions, anchored implicitly. The few that .NET
    /// cannot compile are skipped (logged by nobody: they only narrow, never widen, what is valid).
    /// </summary>
    private static Regex? GetPattern(string pattern) =>
        Patterns.GetOrAdd(pattern, static p =>
        {
            try
            {
                var dotNet = JavaPattern.ToDotNet(p);
                var anchored = dotNet.StartsWith('^') ? dotNet : "^(?:" + dotNet + ")$";
                return new Regex(anchored, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            }
            catch (ArgumentException)
            {
                return null;
            }
        });

    /// <summary>How a value is shown in a message: a list may hold NaN or Infinity, which JSON writes as names.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions DescribeOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static string Describe(JsonNode node)
    {
        var text = node.ToJsonString(DescribeOptions);
        return text.Length > 64 ? text[..64] + "..." : text;
    }

    private static string LowerFirst(string name)
    {
        if (name.Length == 0 || char.IsLower(name[0]))
        {
            return name;
        }

        var builder = new StringBuilder(name);
        builder[0] = char.ToLowerInvariant(name[0]);
        return builder.ToString();
    }
}
