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

        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html : a variable whose key
        // is missing makes its statement not match. iam-simulate only fails the one NotResource entry, which turns
        // NotResource into a match and so widens the statement (a Deny then applies).
        if (AllPolicies(s).Any(p => (string?)p["Version"] == "2012-10-17" && HasMissingNotResourceVariable(p, s)))
        {
            return "missing variable in NotResource makes the statement not match";
        }

        return null;
    }

    private static bool HasMissingNotResourceVariable(JsonObject policy, Scenario s) =>
        policy["Statement"]!.AsArray().Any(st => st!["NotResource"] is JsonNode nr
            && (nr is JsonArray a ? a.Select(x => (string)x!) : [(string)nr!])
                .SelectMany(Variables)
                .Any(key => !s.Context.Any(c => c.Key.Equals(key, StringComparison.OrdinalIgnoreCase) && c.Values.Length == 1)));

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
