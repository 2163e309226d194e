using System.Text.Json.Nodes;
using Cloudkeep.Policy.Reference;
using Cloudkeep.Policy.Tests.Generators;
using CsCheck;

namespace Cloudkeep.Policy.Tests.Properties;

public class EvaluationPropertyTests
{
    private const int Iterations = 2_000;

    [Fact]
    public void Evaluate_MatchingExplicitDenyAdded_AlwaysExplicitDeny()
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
        PolicyGenerators.Scenario().Sample(scenario =>
        {
            var withDeny = scenario.WithIdentity(PolicyGenerators.Single("Deny"));
            Assert.Equal(DecisionOutcome.ExplicitDeny, PolicyEvaluator.Evaluate(withDeny.ToRequest()).Outcome);
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_MatchingDenyInScp_AlwaysExplicitDeny()
    {
        PolicyGenerators.Scenario().Sample(scenario =>
        {
            var levels = scenario.Scps ?? [];
            var withDeny = scenario with { Scps = [.. levels, [PolicyGenerators.FullAccess(), PolicyGenerators.Single("Deny")]] };
            Assert.Equal(DecisionOutcome.ExplicitDeny, PolicyEvaluator.Evaluate(withDeny.ToRequest()).Outcome);
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_AllowStatementAdded_NeverTurnsAllowIntoDeny()
    {
        Gen.Select(PolicyGenerators.Scenario(), PolicyGenerators.Policy()).Sample((scenario, extra) =>
        {
            var before = PolicyEvaluator.Evaluate(scenario.ToRequest()).Outcome;
            var allowOnly = OnlyEffect(extra, "Allow");
            var after = PolicyEvaluator.Evaluate(scenario.WithIdentity(allowOnly).ToRequest()).Outcome;
            if (before == DecisionOutcome.Allow)
            {
                Assert.Equal(DecisionOutcome.Allow, after);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_DenyStatementAdded_NeverTurnsDenyIntoAllow()
    {
        Gen.Select(PolicyGenerators.Scenario(), PolicyGenerators.Policy()).Sample((scenario, extra) =>
        {
            var before = PolicyEvaluator.Evaluate(scenario.ToRequest()).Outcome;
            var denyOnly = OnlyEffect(extra, "Deny");
            var after = PolicyEvaluator.Evaluate(scenario.WithIdentity(denyOnly).ToRequest()).Outcome;
            if (before != DecisionOutcome.Allow)
            {
                Assert.NotEqual(DecisionOutcome.Allow, after);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_NotAction_IsComplementOfAction()
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
        Gen.Select(PolicyGenerators.ActionList, PolicyGenerators.Scenario(withScps: false)).Sample((actions, scenario) =>
        {
            var plain = Evaluate(scenario, Statement("Action", actions, "Resource", ["*"]));
            var negated = Evaluate(scenario, Statement("NotAction", actions, "Resource", ["*"]));
            Assert.NotEqual(plain, negated);
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_NotResource_IsComplementOfResource()
    {
        // Variables included: an entry whose variable has no value names no resource in either form.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
        Gen.Select(PolicyGenerators.ResourceList(withVariables: true), PolicyGenerators.Scenario(withScps: false)).Sample((resources, scenario) =>
        {
            var plain = Evaluate(scenario, Statement("Action", ["*"], "Resource", resources));
            var negated = Evaluate(scenario, Statement("Action", ["*"], "NotResource", resources));
            Assert.NotEqual(plain, negated);
        }, iter: Iterations);
    }

    [Fact]
    public void Evaluate_CompiledAndInterpreter_Agree()
    {
        PolicyGenerators.Scenario().Sample(scenario =>
        {
            var request = scenario.ToRequest();
            var compiled = PolicyEvaluator.Evaluate(request);
            var interpreted = InterpretedEvaluator.Evaluate(request);
            Assert.Equal(compiled.Outcome, interpreted.Outcome);
            Assert.Equal(compiled.DecidingPolicyType, interpreted.DecidingPolicyType);
            Assert.Equal(compiled.Trace, interpreted.Trace);
        }, iter: Iterations * 2);
    }

    [Fact]
    public void Generator_Scenarios_CoverEveryOutcome()
    {
        // Guards the properties above against a generator that only ever produces one kind of decision.
        var counts = new Dictionary<DecisionOutcome, int>();
        PolicyGenerators.Scenario().Sample(scenario =>
        {
            var outcome = PolicyEvaluator.Evaluate(scenario.ToRequest()).Outcome;
            lock (counts)
            {
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
        }, iter: Iterations);
        foreach (var outcome in Enum.GetValues<DecisionOutcome>())
        {
            Assert.True(counts.GetValueOrDefault(outcome) > Iterations / 50, $"{outcome}: {counts.GetValueOrDefault(outcome)}");
        }
    }

    // One statement in a policy alone, for the principal's own account with nothing else attached.
    private static bool Evaluate(Scenario scenario, JsonObject statement)
    {
        var policy = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) };
        var alone = scenario with { Identity = [policy], Boundary = null, ResourcePolicy = null, Scps = null, ResourceAccount = null };
        return PolicyEvaluator.Evaluate(alone.ToRequest()).IsAllowed;
    }

    private static JsonObject Statement(string actionKey, string[] actions, string resourceKey, string[] resources) => new()
    {
        ["Effect"] = "Allow",
        [actionKey] = new JsonArray([.. actions.Select(a => (JsonNode?)a)]),
        [resourceKey] = new JsonArray([.. resources.Select(r => (JsonNode?)r)]),
    };

    private static JsonObject OnlyEffect(JsonObject policy, string effect)
    {
        var copy = policy.DeepClone().AsObject();
        foreach (var s in copy["Statement"]!.AsArray())
        {
            s!["Effect"] = effect;
        }

        return copy;
    }
}
