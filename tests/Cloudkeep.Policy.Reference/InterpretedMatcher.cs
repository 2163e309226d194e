using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cloudkeep.Policy.Reference;

/// <summary>
/// The reference: a straightforward reading of each statement from the policy's JSON on every request, with
/// wildcards turned into regular expressions. Deliberately shares nothing with the compiled matchers except value
/// parsing, so property tests comparing the two catch compile-time mistakes. Never used on the request path.
/// </summary>
internal readonly struct InterpretedMatcher : IPolicyMatcher
{
    // Regexes are cached (the static Regex cache holds only 15), so the baseline measures interpretation rather
    // than regex construction.
    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options), Regex> Regexes = new();

    public void Match(CompiledPolicy policy, EvaluationRequest request, PolicyType type, ref PolicySetResult result,
        ref List<MatchedStatement>? trace)
    {
        using var doc = JsonDocument.Parse(policy.Source);
        var root = doc.RootElement;
        var substitute = root.TryGetProperty("Version", out var v) && v.GetString() == PolicyDocument.Version2012;
        var statements = root.GetProperty("Statement");
        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        for (var index = 0; index < list.Count; index++)
        {
            var s = list[index];
            var match = MatchStatement(s, request, substitute);
            if (match == PrincipalMatch.None)
            {
                continue;
            }

            var effect = s.GetProperty("Effect").GetString() == "Deny" ? PolicyEffect.Deny : PolicyEffect.Allow;
            var sid = s.TryGetProperty("Sid", out var sidElement) ? sidElement.GetString() : null;
            result.Add(effect, match);
            (trace ??= []).Add(new MatchedStatement(type, policy.Id, sid, index, effect));
        }
    }

    private static PrincipalMatch MatchStatement(JsonElement s, EvaluationRequest request, bool substitute)
    {
        var actionKey = s.TryGetProperty("Action", out _) ? "Action" : "NotAction";
        var actionHit = Strings(s.GetProperty(actionKey)).Any(a => IsMatch(request.Action, GlobToRegex(a), RegexOptions.IgnoreCase));
        if (actionHit == (actionKey == "NotAction"))
        {
            return PrincipalMatch.None;
        }

        var resourceKey = s.TryGetProperty("Resource", out _) ? "Resource" : s.TryGetProperty("NotResource", out _) ? "NotResource" : null;
        if (resourceKey is not null)
        {
            var isNot = resourceKey == "NotResource";
            var hit = false;
            foreach (var raw in Strings(s.GetProperty(resourceKey)))
            {
                var regex = substitute ? Substitute(raw, request.Context, wildcards: true) : GlobToRegex(raw);
                if (regex is null)
                {
                    // A variable with no value: this entry names no resource, whichever the element.
                    continue;
                }

                if (ArnMatches(regex, raw == "*", request.Resource))
                {
                    hit = true;
                }
            }

            if (hit == isNot)
            {
                return PrincipalMatch.None;
            }
        }

        var principal = PrincipalMatch.Direct;
        if (s.TryGetProperty("Principal", out var p))
        {
            principal = MatchPrincipal(p, request.Principal);
        }
        else if (s.TryGetProperty("NotPrincipal", out var np))
        {
            principal = NotPrincipalExcludes(np, request.Principal) ? PrincipalMatch.None : PrincipalMatch.Direct;
        }

        if (principal == PrincipalMatch.None)
        {
            return PrincipalMatch.None;
        }

        if (s.TryGetProperty("Condition", out var condition))
        {
            foreach (var block in condition.EnumerateObject())
            {
                foreach (var entry in block.Value.EnumerateObject())
                {
                    if (!ConditionHolds(block.Name, entry.Name, ScalarStrings(entry.Value), request.Context, substitute))
                    {
                        return PrincipalMatch.None;
                    }
                }
            }
        }

        return principal;
    }

    private static PrincipalMatch MatchPrincipal(JsonElement element, PrincipalInfo caller)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return PrincipalMatch.Direct;
        }

        var best = PrincipalMatch.None;
        foreach (var type in element.EnumerateObject())
        {
            foreach (var value in Strings(type.Value))
            {
                var m = PrincipalMatch.None;
                var inAccount = caller.Type is PrincipalType.Root or PrincipalType.User or PrincipalType.AssumedRole or PrincipalType.FederatedUser;
                if (type.Name == "AWS")
                {
                    if (value == "*")
                    {
                        m = PrincipalMatch.Direct;
                    }
                    else if (value.Length == 12 || value.EndsWith(":root", StringComparison.Ordinal))
                    {
                        var account = value.Length == 12 ? value : value.Split(':')[4];
                        m = inAccount && caller.AccountId == account ? PrincipalMatch.Account : PrincipalMatch.None;
                    }
                    else if (value.Contains(":role/", StringComparison.Ordinal))
                    {
                        m = caller.Type == PrincipalType.AssumedRole && caller.RoleArn == value ? PrincipalMatch.Direct : PrincipalMatch.None;
                    }
                    else
                    {
                        m = inAccount && caller.Arn == value ? PrincipalMatch.Exact : PrincipalMatch.None;
                    }
                }
                else if (type.Name == "Service")
                {
                    m = caller.Type == PrincipalType.Service && caller.Arn.Equals(value, StringComparison.OrdinalIgnoreCase) ? PrincipalMatch.Direct : PrincipalMatch.None;
                }
                else if (type.Name == "Federated")
                {
                    m = caller.Type == PrincipalType.WebIdentity && caller.Arn == value ? PrincipalMatch.Direct : PrincipalMatch.None;
                }
                else if (caller.CanonicalUserId == value)
                {
                    m = PrincipalMatch.Exact;
                }

                best = m > best ? m : best;
            }
        }

        return best;
    }

    // Excluded only when the caller itself and its account are both listed (the root user is its account).
    private static bool NotPrincipalExcludes(JsonElement element, PrincipalInfo caller)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return false;
        }

        var entries = element.EnumerateObject().SelectMany(t => Strings(t.Value).Select(v => (t.Name, Value: v))).ToList();
        var accountListed = caller.AccountId is not null && entries.Any(e => e.Name == "AWS"
            && (e.Value == caller.AccountId || e.Value == $"arn:aws:iam::{caller.AccountId}:root"));
        if (caller.Type == PrincipalType.Root)
        {
            return accountListed;
        }

        var ownListed = entries.Any(e => e.Value != "*" && e.Value != caller.AccountId && !e.Value.EndsWith(":root", StringComparison.Ordinal)
            && MatchPrincipal(JsonDocument.Parse($"{{\"{e.Name}\":{JsonSerializer.Serialize(e.Value)}}}").RootElement, caller) != PrincipalMatch.None);
        var inAccount = caller.Type is PrincipalType.User or PrincipalType.AssumedRole or PrincipalType.FederatedUser;
        return inAccount ? ownListed && accountListed : ownListed;
    }

    private static bool ConditionHolds(string op, string key, List<string> policyValues, RequestContext context, bool substitute)
    {
        var qualifier = op.StartsWith("ForAllValues:", StringComparison.Ordinal) ? "all" : op.StartsWith("ForAnyValue:", StringComparison.Ordinal) ? "any" : "";
        var name = qualifier.Length == 0 ? op : op[(op.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var ifExists = name.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            name = name[..^8];
        }

        var requestValues = context.Get(key) ?? [];
        if (name == "Null")
        {
            return policyValues.Any(pv => string.Equals(pv, "true", StringComparison.OrdinalIgnoreCase) == (requestValues.Count == 0));
        }

        var negated = name is "StringNotEquals" or "StringNotEqualsIgnoreCase" or "StringNotLike" or "NumericNotEquals"
            or "DateNotEquals" or "NotIpAddress" or "ArnNotEquals" or "ArnNotLike";
        if (requestValues.Count == 0)
        {
            return qualifier == "all" || (qualifier != "any" && (ifExists || negated));
        }

        var positive = negated ? (name == "NotIpAddress" ? "IpAddress" : name.Replace("Not", "", StringComparison.Ordinal)) : name;
        var stringLike = positive is "StringEquals" or "StringEqualsIgnoreCase" or "StringLike" or "ArnEquals" or "ArnLike";
        var values = new List<string>();
        foreach (var pv in policyValues)
        {
            if (stringLike && substitute)
            {
                // A variable with no value makes this value null: it equals nothing, the others still count.
                if (Substitute(pv, context, wildcards: false, literalOnly: true) is { } rendered)
                {
                    values.Add(rendered);
                }
            }
            else
            {
                values.Add(pv);
            }
        }

        bool Test(string rv) => values.Any(pv => Compare(positive, rv, pv, substitute));

        return qualifier switch
        {
            "all" => requestValues.All(rv => Test(rv) != negated),
            "any" => requestValues.Any(rv => Test(rv) != negated),
            _ => requestValues.Any(Test) != negated,
        };
    }

    private static bool Compare(string op, string requestValue, string policyValue, bool substituted)
    {
        switch (op)
        {
            case "StringEquals":
            case "BinaryEquals":
                return requestValue == Unescape(policyValue, substituted);
            case "StringEqualsIgnoreCase":
                return string.Equals(requestValue, Unescape(policyValue, substituted), StringComparison.OrdinalIgnoreCase);
            case "StringLike":
                return IsMatch(requestValue, PatternToRegex(policyValue, substituted, arn: false), RegexOptions.None);
            case "ArnEquals":
            case "ArnLike":
                return ArnMatches(PatternToRegex(ExpandShortArn(policyValue), substituted, arn: true), false, requestValue, prebuilt: true);
            case "Bool":
                return ConditionValues.TryParseBool(requestValue, out var rb) && ConditionValues.TryParseBool(policyValue, out var pb) && rb == pb;
            case "IpAddress":
                return IpNetwork.TryParse(policyValue, out var net) && IpNetwork.TryParseAddress(requestValue, out var addr, out var v6) && net.Contains(addr, v6);
            default:
                if (op.StartsWith("Numeric", StringComparison.Ordinal))
                {
                    return ConditionValues.TryParseNumber(requestValue, out var rn) && ConditionValues.TryParseNumber(policyValue, out var pn)
                        && op switch
                        {
                            "NumericEquals" => rn == pn,
                            "NumericLessThan" => rn < pn,
                            "NumericLessThanEquals" => rn <= pn,
                            "NumericGreaterThan" => rn > pn,
                            _ => rn >= pn,
                        };
                }

                return ConditionValues.TryParseDate(requestValue, out var rd) && ConditionValues.TryParseDate(policyValue, out var pd)
                    && op switch
                    {
                        "DateEquals" => rd == pd,
                        "DateLessThan" => rd < pd,
                        "DateLessThanEquals" => rd <= pd,
                        "DateGreaterThan" => rd > pd,
                        _ => rd >= pd,
                    };
        }
    }

    // After substitution a condition value is a mix of policy text and literal variable values; the literal parts
    // are kept apart with \u0001..\u0002 markers so wildcards inside them stay literal.
    private static string Unescape(string value, bool substituted) => substituted ? value.Replace("\u0001", "", StringComparison.Ordinal).Replace("\u0002", "", StringComparison.Ordinal) : value;

    private static string PatternToRegex(string value, bool substituted, bool arn)
    {
        var sb = new StringBuilder("^");
        var literal = false;
        var segment = 0;
        foreach (var c in value)
        {
            if (substituted && c == '\u0001')
            {
                literal = true;
            }
            else if (substituted && c == '\u0002')
            {
                literal = false;
            }
            else if (!literal && c == '*')
            {
                sb.Append(arn && segment < 5 ? "[^:]*" : "(?s:.*)");
            }
            else if (!literal && c == '?')
            {
                sb.Append(arn && segment < 5 ? "[^:]" : "(?s:.)");
            }
            else
            {
                if (c == ':')
                {
                    segment++;
                }

                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        return sb.Append('$').ToString();
    }

    private static bool ArnMatches(string regex, bool isStar, string input, bool prebuilt = false)
    {
        if (isStar)
        {
            return true;
        }

        // Wildcards in the first five ARN segments must not cross a colon.
        if (!prebuilt && regex.StartsWith("^arn", StringComparison.Ordinal) && input.Split(':').Length < 6)
        {
            return false;
        }

        return IsMatch(input, regex, RegexOptions.None);
    }

    private static bool IsMatch(string input, string pattern, RegexOptions options) =>
        Regexes.GetOrAdd((pattern, options), static key => new Regex(key.Pattern, key.Options | RegexOptions.CultureInvariant)).IsMatch(input);

    private static string GlobToRegex(string glob) => PatternToRegex(ExpandShortArn(glob), false, arn: glob.StartsWith("arn:", StringComparison.Ordinal));

    // "arn:aws:sqs:*" is read as "arn:aws:sqs:*:*:*".
    private static string ExpandShortArn(string text)
    {
        if (!text.StartsWith("arn:", StringComparison.Ordinal) || !text.EndsWith('*'))
        {
            return text;
        }

        var colons = text.Count(c => c == ':');
        return colons >= 5 ? text : text + string.Concat(Enumerable.Repeat(":*", 5 - colons));
    }

    /// <summary>
    /// Substitutes ${...}; returns a regex for a Resource (wildcards) or marked text for a condition value, and null
    /// when a variable has no value and no default.
    /// </summary>
    private static string? Substitute(string raw, RequestContext context, bool wildcards, bool literalOnly = false)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < raw.Length)
        {
            var start = raw.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : raw.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                sb.Append(raw, i, raw.Length - i);
                break;
            }

            sb.Append(raw, i, start - i);
            var inner = raw[(start + 2)..end].Trim();
            string? value;
            if (inner is "*" or "?" or "$")
            {
                value = inner;
            }
            else
            {
                var comma = inner.IndexOf(',', StringComparison.Ordinal);
                var key = (comma < 0 ? inner : inner[..comma]).Trim();
                string? fallback = null;
                var valid = key.Length > 0 && !key.Contains(' ', StringComparison.Ordinal) && !key.Contains('\'', StringComparison.Ordinal) && !key.Contains('$', StringComparison.Ordinal);
                if (comma >= 0)
                {
                    var rest = inner[(comma + 1)..].Trim();
                    valid &= rest.Length >= 2 && rest[0] == '\'' && rest[^1] == '\'';
                    fallback = valid ? rest[1..^1].Replace("''", "'", StringComparison.Ordinal) : null;
                }

                if (!valid)
                {
                    sb.Append(raw, start, end - start + 1);
                    i = end + 1;
                    continue;
                }

                var found = context.Get(key);
                value = found is { Count: 1 } ? found[0] : fallback;
                if (value is null)
                {
                    return null;
                }
            }

            sb.Append('\u0001').Append(value).Append('\u0002');
            i = end + 1;
        }

        var text = ExpandShortArn(sb.ToString());
        return literalOnly || !wildcards ? text : PatternToRegex(text, substituted: true, arn: raw.StartsWith("arn:", StringComparison.Ordinal));
    }

    private static List<string> Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Select(x => x.GetString()!)] : [e.GetString()!];

    private static List<string> ScalarStrings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Select(Scalar)] : [Scalar(e)];

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}
