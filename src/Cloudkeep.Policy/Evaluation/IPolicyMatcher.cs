namespace Cloudkeep.Policy;

/// <summary>
/// Finds the statements of one policy that apply to a request. The compiled matcher is the production path; the
/// interpreter (<see cref="Interpreted.InterpretedMatcher"/>) re-reads the JSON and serves as the reference.
/// </summary>
internal interface IPolicyMatcher
{
    void Match(CompiledPolicy policy, EvaluationRequest request, PolicyType type, ref PolicySetResult result,
        ref List<MatchedStatement>? trace);
}

internal readonly struct CompiledMatcher : IPolicyMatcher
{
    public void Match(CompiledPolicy policy, EvaluationRequest request, PolicyType type, ref PolicySetResult result,
        ref List<MatchedStatement>? trace)
    {
        var statements = policy.Statements;
        foreach (var index in policy.CandidatesFor(request.Action))
        {
            var statement = statements[index];
            var match = statement.Match(request);
            if (match == PrincipalMatch.None)
            {
                continue;
            }

            result.Add(statement.Effect, match);
            (trace ??= new List<MatchedStatement>(4)).Add(new MatchedStatement(type, policy.Id, statement.Sid, statement.Index, statement.Effect));
        }
    }
}
