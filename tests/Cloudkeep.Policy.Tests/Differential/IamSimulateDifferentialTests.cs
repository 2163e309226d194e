using System.Text.Json.Nodes;
using Cloudkeep.Policy.Tests.Generators;
using CsCheck;

namespace Cloudkeep.Policy.Tests.Differential;

/// <summary>
/// Differential testing against an independent evaluator, @cloud-copilot/iam-simulate (AGPL, test-only tool in
/// tests/tools). Where it departs from AWS's documentation the documentation wins and the case is classified as a
/// known deviation (see <see cref="KnownDeviations"/>); every other disagreement fails the test.
/// </summary>
public class IamSimulateDifferentialTests
{
    private const int Cases = 1_000;

    // Fixed seeds keep the suite deterministic; a new seed explores new ground (print the failures, add a seed).
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Engine_RandomScenarios_AgreesWithIamSimulate(ulong seed)
    {
        var tools = IamSimulateRunner.ToolsDirectory();
        IamSimulateRunner.EnsureInstalled(tools);
        var gen = Gen.Select(PolicyGenerators.Scenario(globalKeysOnly: true), PolicyGenerators.Policy(), PolicyGenerators.Policy(resourcePolicy: true), Gen.Int[0, 9])
            .Select(Variant);
        var pcg = new PCG(1, seed);
        var scenarios = Enumerable.Range(0, Cases).Select(_ => WithValidResource(gen.Generate(pcg, null!, out Size _))).ToArray();
        var input = new JsonArray([.. scenarios.Select(s => (JsonNode?)ToOracleCase(s))]);

        var results = IamSimulateRunner.Run(tools, input);

        Assert.Equal(scenarios.Length, results.Count);
        var compared = 0;
        var deviations = new Dictionary<string, int>();
        var failures = new List<string>();
        var oracleErrors = new List<string>();
        for (var i = 0; i < scenarios.Length; i++)
        {
            var result = results[i]!.AsObject();
            if (result["error"] is { } error)
            {
                oracleErrors.Add((string)error!);
                continue;
            }

            compared++;
            var theirs = (string)result["result"]! switch
            {
                "Allowed" => DecisionOutcome.Allow,
                "ExplicitlyDenied" => DecisionOutcome.ExplicitDeny,
                _ => DecisionOutcome.ImplicitDeny,
            };
            var decision = PolicyEvaluator.Evaluate(scenarios[i].ToRequest());
            var ours = decision.Outcome;
            if (ours == theirs)
            {
                continue;
            }

            var reason = KnownDeviations.Classify(scenarios[i], decision, theirs);
            if (reason is not null)
            {
                deviations[reason] = deviations.GetValueOrDefault(reason) + 1;
                continue;
            }

            failures.Add($"ours={ours} iam-simulate={theirs}: {scenarios[i]}");
        }

        Console.WriteLine($"iam-simulate differential: {compared} compared, {oracleErrors.Count} rejected by the oracle, deviations: "
            + string.Join(", ", deviations.Select(d => $"{d.Key}={d.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} unexplained disagreements of {compared}:\n" + string.Join("\n", failures.Take(5)));
        // The oracle rejects some generated inputs (it validates context keys per action); most must be compared.
        Assert.True(compared >= Cases * 3 / 4, $"only {compared} of {Cases} compared; oracle errors: {string.Join("\n", oracleErrors.Distinct().Take(5))}");
    }

    [Fact]
    public void KnownDeviation_VariablesIn2008Policy_DocumentationWins()
    {
        // AWS treats ${...} in a 2008-10-17 policy as literal text; iam-simulate substitutes it. Pin our side.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        var policy = """{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}""";
        var request = new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn("arn:aws:iam::111122223333:user/alice"),
            Action = "s3:GetObject",
            Resource = "arn:aws:s3:::b/alice/x",
            Context = RequestContext.Empty.With("aws:username", "alice"),
            IdentityPolicies = [PolicyDocument.Parse(policy, PolicyKind.ManagedIdentity, "p").GetPolicyOrThrow()],
        };
        Assert.Equal(DecisionOutcome.ImplicitDeny, PolicyEvaluator.Evaluate(request).Outcome);
    }

    private static JsonObject ToOracleCase(Scenario s)
    {
        var anonymous = s.PrincipalArn == Scenario.AnonymousArn;
        var principal = anonymous ? PrincipalInfo.Anonymous : PrincipalInfo.FromArn(s.PrincipalArn);
        var context = new JsonObject();
        foreach (var (key, values) in s.Context)
        {
            context[key] = MultiValued(key) ? new JsonArray([.. values.Select(v => (JsonNode?)v)]) : JsonValue.Create(values[0]);
        }

        return new JsonObject
        {
            ["principal"] = anonymous ? new JsonObject { ["type"] = "Anonymous" } : JsonValue.Create(s.PrincipalArn),
            ["action"] = s.Action,
            ["resource"] = s.Resource,
            ["resourceAccount"] = s.ResourceAccount ?? principal.AccountId,
            ["context"] = context,
            ["identity"] = new JsonArray([.. s.Identity.Select(p => (JsonNode?)p.DeepClone())]),
            ["boundary"] = s.Boundary?.DeepClone(),
            ["session"] = s.Session?.DeepClone(),
            ["resourcePolicy"] = s.ResourcePolicy?.DeepClone(),
            ["scps"] = s.Scps is null ? null : new JsonArray([.. s.Scps.Select(l => (JsonNode?)new JsonArray([.. l.Select(p => (JsonNode?)p.DeepClone())]))]),
        };
    }

    // One case in five is an anonymous caller (resource policy only), one in five an assumed-role session with a
    // session policy; the rest are users and sessions with identity, boundary, resource and SCP policies.
    private static Scenario Variant(Scenario s, JsonObject policy, JsonObject resourcePolicy, int pick) => pick switch
    {
        < 2 => s with { PrincipalArn = Scenario.AnonymousArn, ResourceAccount = PolicyGenerators.Account, Identity = [], Boundary = null, Scps = null, ResourcePolicy = resourcePolicy },
        < 4 when s.PrincipalArn.Contains(":assumed-role/", StringComparison.Ordinal) => s with { Session = policy },
        _ => s,
    };

    // iam-simulate checks the resource ARN against the action's resource types; keep each pair valid.
    private static Scenario WithValidResource(Scenario s)
    {
        var account = s.ResourceAccount ?? PrincipalInfo.FromArn(s.PrincipalArn).AccountId ?? PolicyGenerators.Account;
        return s.Action switch
        {
            "ec2:RunInstances" => s with { Resource = $"arn:aws:ec2:us-east-1:{account}:instance/i-0abc" },
            "s3:ListBucket" => s with { Resource = "arn:aws:s3:::b" },
            _ => s,
        };
    }

    private static bool MultiValued(string key) => key.Equals("aws:TagKeys", StringComparison.OrdinalIgnoreCase);
}
