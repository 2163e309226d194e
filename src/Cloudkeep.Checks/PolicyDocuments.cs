using System.Text.Json.Nodes;

namespace Cloudkeep.Checks;

/// <summary>
/// Reading IAM policy documents as the checks need them. Elements that may be one string or an
/// array of strings are read both ways, and keys are compared as IAM compares them (condition
/// operators and keys ignore case; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
/// </summary>
public static class PolicyDocuments
{
    /// <summary>Condition keys that tie a statement with Principal "*" to one organization, account, network or source, so that it does not make a resource public (S3's own list: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).</summary>
    private static readonly string[] Narrowing =
    [
        "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount",
        "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:PrincipalArn", "aws:userid", "aws:PrincipalServiceName",
        "kms:CallerAccount", "s3:DataAccessPointAccount", "s3:DataAccessPointArn",
    ];

    public static JsonNode? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // IAM answers carry documents URL-encoded; S3 and KMS as they are.
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{'))
        {
            text = Uri.UnescapeDataString(text);
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static IEnumerable<JsonObject> Statements(JsonNode? document) =>
        (document as JsonObject)?["Statement"] switch
        {
            JsonObject one => [one],
            JsonArray many => many.OfType<JsonObject>(),
            _ => [],
        };

    public static IEnumerable<string> Values(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        JsonArray array => array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var t) ? t : null).OfType<string>(),
        _ => [],
    };

    public static bool IsAllow(JsonObject statement) => Values(statement["Effect"]).Any(e => e == "Allow");

    public static bool IsDeny(JsonObject statement) => Values(statement["Effect"]).Any(e => e == "Deny");

    /// <summary>Allow of every action on every resource ("*" in Action and in Resource; NotAction and NotResource are not read as everything).</summary>
    public static bool AllowsEverything(JsonObject statement) =>
        IsAllow(statement) && Values(statement["Action"]).Any(a => a == "*") && Values(statement["Resource"]).Any(r => r == "*");

    /// <summary>Whether the statement applies only to MFA-authenticated sessions (aws:MultiFactorAuthPresent true, or an aws:MultiFactorAuthAge bound).</summary>
    public static bool RequiresMfa(JsonObject statement) =>
        Conditions(statement).Any(c =>
            (c.Key.Equals("aws:MultiFactorAuthPresent", StringComparison.OrdinalIgnoreCase)
                && c.Operator.StartsWith("Bool", StringComparison.OrdinalIgnoreCase) && !c.Operator.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase)
                && c.Values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase)))
            || (c.Key.Equals("aws:MultiFactorAuthAge", StringComparison.OrdinalIgnoreCase)
                && c.Operator.StartsWith("NumericLess", StringComparison.OrdinalIgnoreCase) && !c.Operator.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase)));

    public static bool HasCondition(JsonObject statement) => Conditions(statement).Any();

    /// <summary>Whether a condition ties the statement to an account, organization, network or source.</summary>
    public static bool IsNarrowed(JsonObject statement) =>
        Conditions(statement).Any(c => Narrowing.Any(n => n.Equals(c.Key, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The statement's AWS principals: "*" for Principal "*" or AWS "*", else the ARNs or account ids given.</summary>
    public static IReadOnlyList<string> AwsPrincipals(JsonObject statement) => statement["Principal"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        JsonObject principal => [.. principal.Where(p => p.Key.Equals("AWS", StringComparison.OrdinalIgnoreCase)).SelectMany(p => Values(p.Value))],
        _ => [],
    };

    /// <summary>The account a principal (an account id, or an IAM ARN) belongs to; null for "*" and for anything else.</summary>
    public static string? AccountOf(string principal)
    {
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
        {
            return principal;
        }

        var parts = principal.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit) ? parts[4] : null;
    }

    /// <summary>A Deny for every principal of requests made without TLS (the TLS-only statement AWS recommends: aws:SecureTransport false).</summary>
    public static bool DeniesInsecureTransport(JsonNode? document) =>
        Statements(document).Any(s => IsDeny(s)
            && AwsPrincipals(s).Contains("*")
            && Values(s["Action"]).Any(a => a is "*" or "s3:*")
            && Conditions(s).Any(c => c.Key.Equals("aws:SecureTransport", StringComparison.OrdinalIgnoreCase)
                && c.Operator.StartsWith("Bool", StringComparison.OrdinalIgnoreCase)
                && c.Values.Any(v => v.Equals("false", StringComparison.OrdinalIgnoreCase))));

    private static IEnumerable<(string Operator, string Key, IReadOnlyList<string> Values)> Conditions(JsonObject statement)
    {
        if (statement["Condition"] is not JsonObject condition)
        {
            yield break;
        }

        foreach (var (op, body) in condition)
        {
            if (body is JsonObject keys)
            {
                foreach (var (key, values) in keys)
                {
                    yield return (op, key, [.. Values(values), .. values is JsonValue v && !v.TryGetValue<string>(out _) ? [v.ToJsonString()] : Array.Empty<string>()]);
                }
            }
        }
    }
}
