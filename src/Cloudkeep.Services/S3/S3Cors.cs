using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>
/// CORS rules as S3 applies them ("Configuring cross-origin resource sharing"): the first rule whose
/// origins, method and requested headers all match answers; "*" wildcards once within an origin.
/// </summary>
public static class S3Cors
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "PUT", "POST", "DELETE", "HEAD" };

    public static void Validate(JsonNode configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["CORSRules"] is not JsonArray { Count: > 0 and <= 100 } rules)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        foreach (var rule in rules)
        {
            var methods = Strings(rule?["AllowedMethods"]);
            if (methods.Count == 0 || Strings(rule?["AllowedOrigins"]).Count == 0)
            {
                throw S3Errors.MalformedXml.ToException();
            }

            foreach (var method in methods)
            {
                if (!Methods.Contains(method))
                {
                    throw S3Errors.InvalidRequest.ToException($"Found unsupported HTTP method in CORS config. Unsupported method is {method}");
                }
            }
        }
    }

    /// <summary>The first rule allowing this origin, method and request headers, or null.</summary>
    public static JsonObject? Match(JsonNode? configuration, string origin, string method, IReadOnlyList<string> requestHeaders)
    {
        if (configuration?["CORSRules"] is not JsonArray rules)
        {
            return null;
        }

        foreach (var rule in rules.OfType<JsonObject>())
        {
            if (!Strings(rule["AllowedMethods"]).Contains(method, StringComparer.Ordinal)
                || !Strings(rule["AllowedOrigins"]).Any(o => WildcardMatch(o, origin, ignoreCase: false)))
            {
                continue;
            }

            var allowedHeaders = Strings(rule["AllowedHeaders"]);
            if (requestHeaders.All(h => allowedHeaders.Any(a => WildcardMatch(a, h, ignoreCase: true))))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>A rule's list of strings (AllowedOrigins, AllowedMethods, ExposeHeaders), empty when absent.</summary>
    public static List<string> Values(JsonObject rule, string name)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Strings(rule[name]);
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Where(n => n is not null).Select(n => n!.GetValue<string>())] : [];

    private static bool WildcardMatch(string pattern, string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, value, comparison);
        }

        var head = pattern[..star];
        var tail = pattern[(star + 1)..];
        return value.Length >= head.Length + tail.Length && value.StartsWith(head, comparison) && value.EndsWith(tail, comparison);
    }
}
