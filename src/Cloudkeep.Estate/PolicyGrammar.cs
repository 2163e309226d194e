using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cloudkeep.Estate;

/// <summary>Where a policy document is used, which decides the elements its statements must and may have.</summary>
internal enum PolicyUse
{
    /// <summary>Managed and inline policies of users, groups and roles: no principal, a resource.</summary>
    Identity,

    /// <summary>A role's trust policy: a principal, no resource.</summary>
    Trust,

    /// <summary>Bucket and key policies: a principal and a resource.</summary>
    Resource,

    /// <summary>Service control policies: no principal.</summary>
    ServiceControl,
}

/// <summary>
/// The grammar AWS checks before it accepts a policy (what it refuses as MalformedPolicyDocument),
/// checked when the file is read, so a malformed document stops plan and apply before any call.
/// </summary>
internal static partial class PolicyGrammar
{
    private static readonly string[] TopLevel = ["Version", "Id", "Statement"];
    private static readonly string[] StatementKeys = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

    public static List<string> Problems(string json, PolicyUse use)
    {
        var problems = new List<string>();
        if (JsonNode.Parse(json) is not JsonObject root)
        {
            return ["a policy document is a JSON object"];
        }

        problems.AddRange(root.Select(p => p.Key).Where(k => !TopLevel.Contains(k)).Select(k => $"unknown element '{k}' (expected Version, Id, Statement)"));
        if (root["Version"] is { } version && version.ToString() is not ("2012-10-17" or "2008-10-17"))
        {
            problems.Add($"Version '{version}' is not 2012-10-17 or 2008-10-17");
        }

        var statements = root["Statement"] switch
        {
            JsonObject single => [single],
            JsonArray list => list.ToList(),
            null => null,
            _ => [],
        };
        if (statements is null)
        {
            problems.Add("'Statement' is required");
            return problems;
        }

        for (var i = 0; i < statements.Count; i++)
        {
            var at = statements.Count == 1 && root["Statement"] is JsonObject ? "Statement" : $"Statement[{i}]";
            if (statements[i] is not JsonObject statement)
            {
                problems.Add($"{at} is not an object");
                continue;
            }

            Statement(statement, at, use, problems);
        }

        return problems;
    }

    private static void Statement(JsonObject statement, string at, PolicyUse use, List<string> problems)
    {
        problems.AddRange(statement.Select(p => p.Key).Where(k => !StatementKeys.Contains(k)).Select(k => $"{at}: unknown element '{k}'"));
        if (statement["Effect"]?.ToString() is not ("Allow" or "Deny"))
        {
            problems.Add($"{at}: Effect must be Allow or Deny");
        }

        OneOf(statement, at, "Action", "NotAction", required: true, problems);
        foreach (var action in Strings(statement["Action"] ?? statement["NotAction"]))
        {
            if (action != "*" && !ActionPattern().IsMatch(action))
            {
                problems.Add($"{at}: '{action}' is not an action (service:Action, wildcards allowed)");
            }
        }

        var principal = use is PolicyUse.Trust or PolicyUse.Resource;
        if (principal)
        {
            OneOf(statement, at, "Principal", "NotPrincipal", required: true, problems);
        }
        else if (statement.ContainsKey("Principal") || statement.ContainsKey("NotPrincipal"))
        {
            problems.Add($"{at}: a {(use == PolicyUse.Identity ? "policy attached to a user, group or role" : "service control policy")} has no Principal");
        }

        if (use == PolicyUse.Trust)
        {
            if (statement.ContainsKey("Resource") || statement.ContainsKey("NotResource"))
            {
                problems.Add($"{at}: a trust policy has no Resource");
            }
        }
        else
        {
            OneOf(statement, at, "Resource", "NotResource", required: use != PolicyUse.ServiceControl, problems);
        }

        if (statement["Condition"] is { } condition)
        {
            if (condition is not JsonObject operators)
            {
                problems.Add($"{at}: Condition is an object of operators");
                return;
            }

            foreach (var (name, keys) in operators)
            {
                if (keys is not JsonObject map || map.Any(k => k.Value is JsonObject || (k.Value is JsonArray values && values.Any(v => v is JsonObject or JsonArray))))
                {
                    problems.Add($"{at}: Condition {name} maps condition keys to a value or a list of values");
                }
            }
        }
    }

    private static void OneOf(JsonObject statement, string at, string name, string negated, bool required, List<string> problems)
    {
        var count = (statement.ContainsKey(name) ? 1 : 0) + (statement.ContainsKey(negated) ? 1 : 0);
        if (count == 2)
        {
            problems.Add($"{at}: {name} and {negated} cannot both be given");
        }
        else if (count == 0 && required)
        {
            problems.Add($"{at}: {name} or {negated} is required");
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray list => list.Select(n => n?.ToString() ?? ""),
        JsonValue value => [value.ToString()],
        _ => [],
    };

    [GeneratedRegex(@"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$")]
    private static partial Regex ActionPattern();
}
