using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// A Cost Explorer filter Expression: exactly one of And, Or, Not, Dimensions, Tags (CostCategories:
/// Cloudkeep has none, so they match nothing) per level, as the Expression reference requires.
/// Dimensions match by EQUALS (optionally CASE_INSENSITIVE); Tags by EQUALS, ABSENT, STARTS_WITH,
/// ENDS_WITH, CONTAINS, with CASE_SENSITIVE or CASE_INSENSITIVE.
/// </summary>
public sealed class CostFilter
{
    public static readonly IReadOnlyList<string> Dimensions = ["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE", "REGION", "RECORD_TYPE"];

    private readonly Func<CostLine, bool> _matches;

    private CostFilter(Func<CostLine, bool> matches)
    {
        _matches = matches;
    }

    public static CostFilter All { get; } = new(_ => true);

    public bool Matches(CostLine line) => _matches(line);

    public static CostFilter Parse(JsonObject? expression, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return expression is null ? All : new CostFilter(Compile(expression, problems, 0));
    }

    private static Func<CostLine, bool> Compile(JsonObject expression, List<string> problems, int depth)
    {
        var roots = expression.Where(p => p.Value is not null).Select(p => p.Key).ToList();
        if (roots.Count != 1)
        {
            problems.Add(roots.Count == 0
                ? "Expression is empty. One root operator is required for each expression: And, Or, Not, Dimensions, Tags, CostCategories"
                : "Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories");
            return _ => false;
        }

        if (depth > 32)
        {
            problems.Add("Expression is nested too deeply.");
            return _ => false;
        }

        switch (roots[0])
        {
            case "And" or "Or":
                var parts = (expression[roots[0]] as JsonArray ?? []).OfType<JsonObject>().Select(e => Compile(e, problems, depth + 1)).ToList();
                if (parts.Count < 2)
                {
                    problems.Add($"{roots[0]} expression must have at least 2 operands.");
                }

                return roots[0] == "And" ? line => parts.All(p => p(line)) : line => parts.Any(p => p(line));
            case "Not":
                var inner = expression["Not"] is JsonObject not ? Compile(not, problems, depth + 1) : _ => false;
                return line => !inner(line);
            case "Dimensions":
                return DimensionMatch(expression["Dimensions"] as JsonObject ?? [], problems);
            case "Tags":
                return TagMatch(expression["Tags"] as JsonObject ?? [], problems);
            case "CostCategories":
                return _ => false;
            default:
                problems.Add($"Unknown expression operator {roots[0]}.");
                return _ => false;
        }
    }

    private static Func<CostLine, bool> DimensionMatch(JsonObject dimension, List<string> problems)
    {
        var key = dimension["Key"]?.GetValue<string>();
        var values = Values(dimension);
        var options = Options(dimension);
        if (key is null || !Dimensions.Contains(key))
        {
            problems.Add($"Dimension {key ?? "(none)"} is not allowed. Allowed value(s): {string.Join(", ", Dimensions)}");
        }

        if (options.Except(["EQUALS", "CASE_SENSITIVE", "CASE_INSENSITIVE"]).Any())
        {
            problems.Add("Only EQUALS, CASE_SENSITIVE and CASE_INSENSITIVE match options are supported for Dimensions.");
        }

        if (values.Count == 0)
        {
            problems.Add($"Values for dimension {key} must not be empty.");
        }

        var comparison = options.Contains("CASE_INSENSITIVE") ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return line => values.Any(v => string.Equals(line.Dimension(key ?? ""), v, comparison));
    }

    private static Func<CostLine, bool> TagMatch(JsonObject tag, List<string> problems)
    {
        var key = tag["Key"]?.GetValue<string>();
        var values = Values(tag);
        var options = Options(tag);
        var supported = new[] { "EQUALS", "ABSENT", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CASE_SENSITIVE", "CASE_INSENSITIVE" };
        if (options.Except(supported).Any())
        {
            problems.Add($"Match options {string.Join(", ", options.Except(supported))} are not supported for Tags.");
        }

        var comparison = options.Contains("CASE_INSENSITIVE") ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var absent = options.Contains("ABSENT") || (key is null && values.Count == 0);
        Func<string, string, bool> compare =
            options.Contains("STARTS_WITH") ? (have, want) => have.StartsWith(want, comparison)
            : options.Contains("ENDS_WITH") ? (have, want) => have.EndsWith(want, comparison)
            : options.Contains("CONTAINS") ? (have, want) => have.Contains(want, comparison)
            : (have, want) => string.Equals(have, want, comparison);
        return line =>
        {
            if (key is null)
            {
                return absent && line.Tags.Count == 0;
            }

            if (!line.Tags.TryGetValue(key, out var value))
            {
                return absent;
            }

            return values.Count == 0 ? !absent : values.Any(v => compare(value, v));
        };
    }

    private static List<string> Values(JsonObject node) =>
        [.. (node["Values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).OfType<string>()];

    private static List<string> Options(JsonObject node) =>
        [.. (node["MatchOptions"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).OfType<string>()];
}
