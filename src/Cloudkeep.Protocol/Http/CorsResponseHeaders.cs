namespace Cloudkeep.Protocol.Http;

/// <summary>
/// The Access-Control-* headers answering a cross-origin request that a CORS rule allowed
/// (S3's "Configuring cross-origin resource sharing"), from the rule's values.
/// </summary>
public static class CorsResponseHeaders
{
    /// <summary>What a rule says, as plain values: which rule applies is the service's to decide.</summary>
    public sealed record Rule(IReadOnlyList<string> AllowedOrigins, IReadOnlyList<string> AllowedMethods, IReadOnlyList<string> ExposeHeaders, string? MaxAgeSeconds);

    public static List<KeyValuePair<string, string>> For(Rule rule, string origin, IReadOnlyList<string> requestHeaders, bool preflight)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(requestHeaders);
        // A wildcard rule answers "*", which browsers refuse with credentials, so only a named origin gets them.
        var anyOrigin = rule.AllowedOrigins.Contains("*");
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Access-Control-Allow-Origin", anyOrigin ? "*" : origin),
            new("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
        };
        if (!anyOrigin)
        {
            headers.Add(new("Access-Control-Allow-Credentials", "true"));
        }

        if (preflight)
        {
            headers.Add(new("Access-Control-Allow-Methods", string.Join(", ", rule.AllowedMethods)));
            if (requestHeaders.Count > 0)
            {
                headers.Add(new("Access-Control-Allow-Headers", string.Join(", ", requestHeaders)));
            }

            if (rule.MaxAgeSeconds is { } maxAge)
            {
                headers.Add(new("Access-Control-Max-Age", maxAge));
            }
        }
        else if (rule.ExposeHeaders.Count > 0)
        {
            headers.Add(new("Access-Control-Expose-Headers", string.Join(", ", rule.ExposeHeaders)));
        }

        return headers;
    }
}
