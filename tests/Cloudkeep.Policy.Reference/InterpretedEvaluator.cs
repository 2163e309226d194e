namespace Cloudkeep.Policy.Reference;

/// <summary>Evaluates with the reference interpreter: same decision algorithm, statements re-read from JSON.</summary>
internal static class InterpretedEvaluator
{
    public static AuthorizationDecision Evaluate(EvaluationRequest request) =>
        PolicyEvaluator.Evaluate(request, default(InterpretedMatcher));
}
