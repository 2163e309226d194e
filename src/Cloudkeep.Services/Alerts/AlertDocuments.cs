using System.Text.Json;

namespace Cloudkeep.Services.Alerts;

/// <summary>
/// Reading what a CloudTrail record carries: policy documents (a JSON string, URL-encoded or not,
/// or an object, as different services record them) and ACL grants. The client-side watch has its
/// own reader (client tools never reference a server project).
/// </summary>
internal static class AlertDocuments
{
    private static readonly string[] Narrowing =
    [
        "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount",
        "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:PrincipalArn", "aws:userid",
    ];

    /// <summary>A document given as an object, or as JSON text (URL-encoded as IAM's query parameters are, or not).</summary>
    public static JsonElement? Document(JsonElement? value)
    {
        if (value is not { } element)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            return element;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = element.GetString()!;
        if (!text.TrimStart().StartsWith('{'))
        {
            text = Uri.UnescapeDataString(text);
        }

        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement? Property(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(JsonElement element, params string[] path) =>
        Property(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static IEnumerable<JsonElement> Statements(JsonElement document) =>
        Property(document, "Statement") switch
        {
            { ValueKind: JsonValueKind.Object } one => [one],
            { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).ToList(),
            _ => [],
        };

    public static IEnumerable<string> Values(JsonElement? node) => node switch
    {
        { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
        _ => [],
    };

    /// <summary>Allow of "*" on "*" with no aws:MultiFactorAuthPresent true (nor aws:MultiFactorAuthAge bound) condition.</summary>
    public static bool GrantsEverythingWithoutMfa(JsonElement document) =>
        Statements(document).Any(s => Values(Property(s, "Effect")).Contains("Allow")
            && Values(Property(s, "Action")).Contains("*") && Values(Property(s, "Resource")).Contains("*")
            && !Conditions(s).Any(c => (c.Key.Equals("aws:MultiFactorAuthPresent", StringComparison.OrdinalIgnoreCase) && c.Operator.Equals("Bool", StringComparison.OrdinalIgnoreCase) && c.Values.Contains("true", StringComparer.OrdinalIgnoreCase))
                || (c.Key.Equals("aws:MultiFactorAuthAge", StringComparison.OrdinalIgnoreCase) && c.Operator.StartsWith("NumericLess", StringComparison.OrdinalIgnoreCase) && !c.Operator.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase))));

    /// <summary>An Allow for Principal "*" (or AWS "*") without a condition narrowing who.</summary>
    public static bool AllowsAnyone(JsonElement document) =>
        Statements(document).Any(s => Values(Property(s, "Effect")).Contains("Allow")
            && (Values(Property(s, "Principal")).Contains("*") || Values(Property(s, "Principal", "AWS")).Contains("*"))
            && !Conditions(s).Any(c => Narrowing.Contains(c.Key, StringComparer.OrdinalIgnoreCase)));

    /// <summary>Whether any string in the element (at any depth) names S3's AllUsers or AuthenticatedUsers group or a public canned ACL.</summary>
    public static bool NamesPublicGrantee(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() is { } text && (text.EndsWith("/global/AllUsers", StringComparison.Ordinal) || text.EndsWith("/global/AuthenticatedUsers", StringComparison.Ordinal)
            || text is "public-read" or "public-read-write" or "authenticated-read"),
        JsonValueKind.Object => element.EnumerateObject().Any(p => NamesPublicGrantee(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(NamesPublicGrantee),
        _ => false,
    };

    private static IEnumerable<(string Operator, string Key, IReadOnlyList<string> Values)> Conditions(JsonElement statement)
    {
        if (Property(statement, "Condition") is not { ValueKind: JsonValueKind.Object } condition)
        {
            yield break;
        }

        foreach (var op in condition.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                IReadOnlyList<string> values = key.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? [key.Value.ValueKind == JsonValueKind.True ? "true" : "false"]
                    : [.. Values(key.Value)];
                yield return (op.Name, key.Name, values);
            }
        }
    }
}
