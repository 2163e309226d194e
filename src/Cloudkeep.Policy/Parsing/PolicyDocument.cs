using System.Text.Json;

namespace Cloudkeep.Policy;

/// <summary>
/// Entry point for policy documents: validates a JSON document against the IAM policy grammar and compiles it.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
/// </summary>
public static class PolicyDocument
{
    public const string Version2012 = "2012-10-17";
    public const string Version2008 = "2008-10-17";

    /// <summary>Validates and compiles; every problem found is reported, never thrown.</summary>
    public static PolicyParseResult Parse(string json, PolicyKind kind, string? policyId = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<PolicyError>();
        var max = PolicyLimits.MaxSize(kind);
        if (json.Length > PolicyLimits.AbsoluteMaxChars || PolicyLimits.MeasureSize(json, kind) > max)
        {
            errors.Add(PolicyLimits.SizeError(kind, max));
            return new PolicyParseResult(null, errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = PolicyLimits.MaxDepth });
        }
        catch (JsonException)
        {
            // Invalid JSON and nesting beyond MaxDepth both surface here.
            errors.Add(Malformed("Syntax errors in policy."));
            return new PolicyParseResult(null, errors);
        }

        using (document)
        {
            if (!HasOnlyWellFormedText(document.RootElement, depth: 0))
            {
                // A lone surrogate escape ("\ud800") or invalid UTF-8: text no policy element can hold.
                errors.Add(Malformed("Syntax errors in policy."));
                return new PolicyParseResult(null, errors);
            }

            var compiler = new PolicyCompiler(kind, errors);
            var policy = compiler.Compile(document.RootElement, json, policyId);
            return new PolicyParseResult(errors.Count == 0 ? policy : null, errors);
        }
    }

    private static bool HasOnlyWellFormedText(JsonElement element, int depth)
    {
        if (depth > PolicyLimits.MaxDepth)
        {
            return false;
        }

        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!HasOnlyWellFormedText(item, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        // Reading a name with a lone surrogate escape throws, as reading such a string does.
                        _ = property.Name;
                        if (!HasOnlyWellFormedText(property.Value, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static PolicyError Malformed(string message) => new(PolicyErrorCode.MalformedPolicyDocument, message);
}
