namespace Cloudkeep.Policy;

/// <summary>
/// Finds the statements of one policy that apply to a request. The compiled matcher is the production path; the
/// interpreter (InterpretedMatcher, in tests/Cloudkeep.Policy.Reference) re-reads the JSON and serves as the reference.
/// </summary>
internal interface IPolicyMatcher
{
    void Match(CompiledPolicy policy, EvaluationRequest request, PolicyType type, ref PolicySetResult result,
        ref List<MatchedStatement>? trace);
}
