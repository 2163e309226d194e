using System.Text.Json.Nodes;
using Cloudkeep.Policy.Tests.Generators;

namespace Cloudkeep.Policy.Tests.Differential;

/// <summary>
/// Where iam-simulate and AWS's documentation part ways, the documentation wins. Each rule names the page.
/// </summary>
internal static class KnownDeviations
{
    public static string? Classify(Scenario s, AuthorizationDecision ours, DecisionOutcome theirs)
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html : in a
        // 2008-10-17 policy "${...}" is literal text; iam-simulate substitutes variables whatever the version.
        if (AllPolicies(s).Any(p => (string?)p["Version"] == "2008-10-17" && p.ToJsonString().Contains("${", StringComparison.Ordinal)))
        {
            return "variables in 2008-10-17 policies";
        }

        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-eval-logic :
        // only a same-account resource policy that names the IAM user (or the role session) is exempt from the
        // boundary's implicit deny. iam-simulate also exempts statements with Principal "*".
        if (ours.Outcome == DecisionOutcome.ImplicitDeny && ours.DecidingPolicyType == PolicyType.PermissionsBoundary
            && theirs == DecisionOutcome.Allow && s.ResourcePolicy is not null && HasWildcardPrincipalAllow(s.ResourcePolicy))
        {
            return "Principal \"*\" does not bypass a permissions boundary";
        }

        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session : permissions from a
        // resource policy that names the session ARN are added after the session is created and are not limited by
        // the session policy. iam-simulate still requires the session policy to allow.
        if (ours.Outcome == DecisionOutcome.Allow && theirs == DecisionOutcome.ImplicitDeny && s.Session is not null
            && s.ResourcePolicy is not null && NamesPrincipal(s.ResourcePolicy, s.PrincipalArn))
        {
            return "resource policy naming the session is not limited by the session policy";
        }

        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value : an
        // entry holding a variable with no value matches no resource, so NotResource applies unless another entry
        // names the resource. iam-simulate treats the entry as unresolvable and the whole statement as not applying.
        if (AllPolicies(s).Any(p => (string?)p["Version"] == "2012-10-17" && HasNoValueNotResourceVariable(p, s)))
        {
            return "a NotResource entry with a no-value variable names no resource";
        }

        // Same page: a negated operator (StringNotEquals, StringNotLike, ArnNotLike, ...) matches against a variable with
        // no value, which nothing equals or is like. iam-simulate makes such a value fail the condition.
        if (AllPolicies(s).Any(p => (string?)p["Version"] == "2012-10-17" && HasNoValueNegatedCondition(p, s)))
        {
            return "a negated operator matches a no-value variable";
        }

        return null;
    }

    private static bool HasNoValueNotResourceVariable(JsonObject policy, Scenario s) =>
        policy["Statement"]!.AsArray().Any(st => st!["NotResource"] is JsonNode nr
            && StringsOf(nr).SelectMany(Variables).Any(key => HasNoValue(key, s)));

    private static bool HasNoValueNegatedCondition(JsonObject policy, Scenario s) =>
        policy["Statement"]!.AsArray().Any(st => st!["Condition"] is JsonObject condition
            && condition.Any(block => IsNegatedTextOperator(block.Key)
                && block.Value!.AsObject().Any(entry => StringsOf(entry.Value!).SelectMany(Variables).Any(key => HasNoValue(key, s)))));

    // StringNot*/ArnNot*, with or without a set qualifier or IfExists (NotIpAddress and the others take no variables).
    private static bool IsNegatedTextOperator(string op)
    {
        var name = op[(op.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return name.StartsWith("StringNot", StringComparison.Ordinal) || name.StartsWith("ArnNot", StringComparison.Ordinal);
    }

    private static bool HasNoValue(string key, Scenario s) =>
        !s.Context.Any(c => c.Key.Equals(key, StringComparison.OrdinalIgnoreCase) && c.Values.Length == 1);

    private static IEnumerable<string> StringsOf(JsonNode node) => node is JsonArray a ? a.Select(x => (string)x!) : [(string)node!];

    // Keys of "${key}" variables without a default value.
    private static IEnumerable<string> Variables(string value)
    {
        var at = 0;
        while ((at = value.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
        {
            var end = value.IndexOf('}', at);
            if (end < 0)
            {
                yield break;
            }

            var inner = value[(at + 2)..end];
            if (!inner.Contains(',', StringComparison.Ordinal) && inner is not ("*" or "?" or "$"))
            {
                yield return inner.Trim();
            }

            at = end + 1;
        }
    }

    private static bool NamesPrincipal(JsonObject policy, string arn) =>
        policy["Statement"]!.AsArray().Any(st => (string?)st!["Effect"] == "Allow" && st["Principal"]?["AWS"] is JsonNode aws
            && (aws is JsonArray a ? a.Any(x => (string?)x == arn) : (string?)aws == arn));

    private static bool HasWildcardPrincipalAllow(JsonObject policy) =>
        policy["Statement"]!.AsArray().Any(st => (string?)st!["Effect"] == "Allow"
            && (st["Principal"] is JsonValue || st["Principal"]?["AWS"]?.ToJsonString() == "\"*\""));

    private static IEnumerable<JsonObject> AllPolicies(Scenario s)
    {
        foreach (var p in s.Identity)
        {
            yield return p;
        }

        if (s.Boundary is not null)
        {
            yield return s.Boundary;
        }

        if (s.ResourcePolicy is not null)
        {
            yield return s.ResourcePolicy;
        }

        if (s.Session is not null)
        {
            yield return s.Session;
        }

        foreach (var level in s.Scps ?? [])
        {
            foreach (var p in level)
            {
                yield return p;
            }
        }
    }
}
