using Cloudkeep.Policy.Reference;

namespace Cloudkeep.Policy.Tests.Corpus;

public class EvaluationCorpusTests
{
    public static IEnumerable<object[]> EvaluationCases() =>
        CorpusLoader.Names("conditions").Concat(CorpusLoader.Names("evaluation")).Concat(CorpusLoader.Names("matching"))
            .Concat(CorpusLoader.Names("variables")).Concat(CorpusLoader.Names("messages"));

    [Theory]
    [MemberData(nameof(EvaluationCases))]
    public void Corpus_Case_MatchesDocumentedDecision(string name)
    {
        var c = CorpusLoader.Get(name);
        Assert.StartsWith("https://docs.aws.amazon.com/", (string)c["source"]!, StringComparison.Ordinal);
        var request = CorpusLoader.BuildRequest(c);
        var expected = Enum.Parse<DecisionOutcome>((string)c["expect"]!);

        var decision = PolicyEvaluator.Evaluate(request);
        Assert.Equal(expected, decision.Outcome);
        if (c["deniedBy"] is { } deniedBy)
        {
            Assert.Equal(Enum.Parse<PolicyType>((string)deniedBy!), decision.DecidingPolicyType);
        }

        if (c["message"] is { } message)
        {
            Assert.Equal((string)message!, decision.ToAccessDeniedMessage());
        }

        // The reference interpreter must reach the same decision on every documented case.
        var interpreted = InterpretedEvaluator.Evaluate(request);
        Assert.Equal(decision.Outcome, interpreted.Outcome);
        Assert.Equal(decision.DecidingPolicyType, interpreted.DecidingPolicyType);
    }

    [Fact]
    public void Corpus_Size_HasAtLeastThreeHundredCases()
    {
        Assert.True(CorpusLoader.Count >= 300, $"corpus has {CorpusLoader.Count} cases");
    }
}
