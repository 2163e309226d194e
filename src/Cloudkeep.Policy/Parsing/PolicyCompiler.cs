using System.Text.Json;

namespace Cloudkeep.Policy;

/// <summary>Walks a parsed JSON document, collecting every grammar error and building the compiled statements.</summary>
internal sealed class PolicyCompiler(PolicyKind kind, List<PolicyError> errors)
{
    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementFields = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    private static readonly HashSet<string> PrincipalTypes = new(StringComparer.Ordinal) { "AWS", "Service", "Federated", "CanonicalUser" };

    private bool _substitute;

    public CompiledPolicy? Compile(JsonElement root, string source, string? policyId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("Syntax errors in policy.");
            return null;
        }

        if (!CheckFields(root, TopLevelFields))
        {
            return null;
        }

        // A document without Version is read as 2008-10-17, where ${...} is literal text.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        var version = PolicyDocument.Version2008;
        if (root.TryGetProperty("Version", out var v))
        {
            if (v.ValueKind != JsonValueKind.String || (v.GetString() is not (PolicyDocument.Version2012 or PolicyDocument.Version2008)))
            {
                Error("The policy failed legacy parsing");
            }
            else
            {
                version = v.GetString()!;
            }
        }

        _substitute = version == PolicyDocument.Version2012;
        if (root.TryGetProperty("Id", out var id) && id.ValueKind != JsonValueKind.String)
        {
            Error("Syntax errors in policy.");
        }

        if (!root.TryGetProperty("Statement", out var statementElement))
        {
            Error("Missing required field Statement");
            return null;
        }

        var statements = new List<CompiledStatement>();
        var sids = new HashSet<string>(StringComparer.Ordinal);
        if (statementElement.ValueKind == JsonValueKind.Object)
        {
            AddStatement(statementElement, 0, statements, sids);
        }
        else if (statementElement.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var s in statementElement.EnumerateArray())
            {
                AddStatement(s, index++, statements, sids);
            }
        }
        else
        {
            Error("Syntax errors in policy.");
        }

        return new CompiledPolicy(policyId ?? (id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty), kind, version, source, [.. statements]);
    }

    private void AddStatement(JsonElement s, int index, List<CompiledStatement> statements, HashSet<string> sids)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            Error("Syntax errors in policy.");
            return;
        }

        if (!CheckFields(s, StatementFields))
        {
            return;
        }

        var errorCount = errors.Count;
        string? sid = null;
        if (s.TryGetProperty("Sid", out var sidElement))
        {
            if (sidElement.ValueKind != JsonValueKind.String)
            {
                Error("Syntax errors in policy.");
            }
            else
            {
                sid = sidElement.GetString()!;
                // IAM restricts Sids to alphanumerics; resource policies (S3, KMS) accept spaces and punctuation.
                // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
                if (PolicyLimits.IsIamKind(kind) && !sid.All(char.IsAsciiLetterOrDigit))
                {
                    Error("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
                }

                if (sid.Length > 0 && !sids.Add(sid))
                {
                    Error("Statement IDs (SID) in a single policy must be unique.");
                }
            }
        }

        var effect = PolicyEffect.Allow;
        if (!s.TryGetProperty("Effect", out var effectElement))
        {
            Error("Missing required field Effect");
        }
        else if (effectElement.ValueKind != JsonValueKind.String || effectElement.GetString() is not ("Allow" or "Deny"))
        {
            Error($"Invalid effect: {(effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : effectElement.GetRawText())}");
        }
        else
        {
            effect = effectElement.GetString() == "Allow" ? PolicyEffect.Allow : PolicyEffect.Deny;
        }

        var (actions, notAction) = ReadActions(s);
        var (resources, notResource) = ReadResources(s);
        var (principals, notPrincipal) = ReadPrincipals(s);
        var conditions = ReadConditions(s);
        if (errors.Count != errorCount)
        {
            return;
        }

        statements.Add(new CompiledStatement
        {
            Index = index,
            Sid = sid,
            Effect = effect,
            Actions = actions,
            NotAction = notAction,
            Resources = resources,
            NotResource = notResource,
            HasVariableResources = resources?.Any(r => r.HasVariables) ?? false,
            Principals = principals,
            NotPrincipal = notPrincipal,
            Conditions = conditions,
        });
    }

    private (ActionPattern[] Actions, bool Not) ReadActions(JsonElement s)
    {
        var hasAction = s.TryGetProperty("Action", out var action);
        var hasNot = s.TryGetProperty("NotAction", out var notAction);
        if (hasAction == hasNot)
        {
            Error(hasAction ? "Statement cannot contain both Action and NotAction." : "Policy statement must contain actions.");
            return ([], false);
        }

        var values = ReadStrings(hasAction ? action : notAction);
        var patterns = new ActionPattern[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (value != "*" && (colon <= 0 || colon == value.Length - 1))
            {
                Error("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }

            patterns[i] = new ActionPattern(value);
        }

        return (patterns, hasNot);
    }

    private (ValueTemplate[]? Resources, bool Not) ReadResources(JsonElement s)
    {
        var hasResource = s.TryGetProperty("Resource", out var resource);
        var hasNot = s.TryGetProperty("NotResource", out var notResource);
        if (hasResource && hasNot)
        {
            Error("Statement cannot contain both Resource and NotResource.");
            return (null, false);
        }

        if (!hasResource && !hasNot)
        {
            // A role trust policy is attached to its resource (the role) and names none.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
            if (kind != PolicyKind.TrustPolicy)
            {
                Error("Policy statement must contain resources.");
            }

            return (null, false);
        }

        var values = ReadStrings(hasResource ? resource : notResource);
        var templates = new ValueTemplate[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value != "*" && (!value.StartsWith("arn:", StringComparison.Ordinal) || (value.Count(c => c == ':') < 5 && !value.EndsWith('*'))))
            {
                Error($"Resource {value} must be in ARN format or \"*\".");
            }

            templates[i] = ValueTemplate.Compile(value, _substitute, wildcards: true);
        }

        return (templates, hasNot);
    }

    private (PrincipalPattern[]? Principals, bool Not) ReadPrincipals(JsonElement s)
    {
        var hasPrincipal = s.TryGetProperty("Principal", out var principal);
        var hasNot = s.TryGetProperty("NotPrincipal", out var notPrincipal);
        if (PolicyLimits.IsIdentityKind(kind))
        {
            if (hasPrincipal || hasNot)
            {
                // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
                Error("Policy document should not specify a principal.");
            }

            return (null, false);
        }

        if (hasPrincipal == hasNot)
        {
            Error(hasPrincipal ? "Statement cannot contain both Principal and NotPrincipal." : "Missing required field Principal");
            return (null, false);
        }

        var element = hasPrincipal ? principal : notPrincipal;
        var patterns = new List<PrincipalPattern>();
        if (element.ValueKind == JsonValueKind.String)
        {
            if (element.GetString() != "*")
            {
                Error($"Invalid principal in policy: \"{element.GetString()}\"");
            }

            patterns.Add(new PrincipalPattern(PrincipalPatternKind.Everyone, "*"));
            return ([.. patterns], hasNot);
        }

        if (element.ValueKind != JsonValueKind.Object || !CheckFields(element, PrincipalTypes))
        {
            Error("Syntax errors in policy.");
            return (null, false);
        }

        foreach (var type in element.EnumerateObject())
        {
            foreach (var value in ReadStrings(type.Value))
            {
                var pattern = type.Name switch
                {
                    "AWS" => PrincipalPattern.ParseAws(value),
                    "Service" => value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) ? new PrincipalPattern(PrincipalPatternKind.Service, value) : null,
                    "Federated" => value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) ? new PrincipalPattern(PrincipalPatternKind.Federated, value) : null,
                    _ => value.Length > 0 && !value.Contains('*', StringComparison.Ordinal) ? new PrincipalPattern(PrincipalPatternKind.CanonicalUser, value) : null,
                };
                if (pattern is null)
                {
                    Error($"Invalid principal in policy: \"{type.Name}\":\"{value}\"");
                }
                else
                {
                    patterns.Add(pattern);
                }
            }
        }

        return ([.. patterns], hasNot);
    }

    private CompiledCondition[] ReadConditions(JsonElement s)
    {
        if (!s.TryGetProperty("Condition", out var condition))
        {
            return [];
        }

        if (condition.ValueKind != JsonValueKind.Object || !CheckFields(condition, null))
        {
            Error("Syntax errors in policy.");
            return [];
        }

        var result = new List<CompiledCondition>();
        foreach (var block in condition.EnumerateObject())
        {
            if (!ConditionOperator.TryParse(block.Name, out var op))
            {
                // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
                Error($"Invalid Condition type : {block.Name}");
                continue;
            }

            if (block.Value.ValueKind != JsonValueKind.Object || !CheckFields(block.Value, null))
            {
                Error("Syntax errors in policy.");
                continue;
            }

            foreach (var entry in block.Value.EnumerateObject())
            {
                var colon = entry.Name.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon == entry.Name.Length - 1)
                {
                    Error("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
                    continue;
                }

                var values = ReadStrings(entry.Value, allowScalars: true);
                if (op.Test == ConditionTest.Null && values.Any(x => !ConditionValues.TryParseBool(x, out _)))
                {
                    Error($"Invalid Null condition value for {entry.Name}: expected true or false");
                }

                result.Add(new CompiledCondition(op, entry.Name, values, _substitute));
            }
        }

        return [.. result];
    }

    // A single string or an array of strings; condition values may also be numbers or booleans.
    private List<string> ReadStrings(JsonElement element, bool allowScalars = false)
    {
        var list = new List<string>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (!TryReadScalar(item, allowScalars, out var text) || HasReservedChar(text))
                {
                    Error("Syntax errors in policy.");
                    return list;
                }

                list.Add(text);
            }

            return list;
        }

        if (TryReadScalar(element, allowScalars, out var single) && !HasReservedChar(single))
        {
            list.Add(single);
        }
        else
        {
            Error("Syntax errors in policy.");
        }

        return list;
    }

    // U+E000 and U+E001 mark wildcards in compiled patterns, so a literal one could not be told apart. IAM's own
    // character set for policy documents ([\u0009\u000A\u000D\u0020-\u00FF]) never contains them.
    private static bool HasReservedChar(string text) => text.AsSpan().IndexOfAny(Wildcard.Star, Wildcard.One) >= 0;

    private static bool TryReadScalar(JsonElement e, bool allowScalars, out string text)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                text = e.GetString()!;
                return true;
            case JsonValueKind.Number when allowScalars:
                text = e.GetRawText();
                return true;
            case JsonValueKind.True when allowScalars:
                text = "true";
                return true;
            case JsonValueKind.False when allowScalars:
                text = "false";
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    // Duplicate names are ambiguous (a second "Effect" could override the first in one reader and not in another),
    // so they are rejected like other syntax errors; unknown names are reported by name.
    private bool CheckFields(JsonElement obj, HashSet<string>? allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Error("Syntax errors in policy.");
                ok = false;
            }
            else if (allowed is not null && !allowed.Contains(property.Name))
            {
                Error($"Unknown field {property.Name}");
                ok = false;
            }
        }

        return ok;
    }

    private void Error(string message) => errors.Add(PolicyDocument.Malformed(message));
}
