namespace Cloudkeep.Policy;

/// <summary>The production matcher: walks the compiled statements that can match the action's service.</summary>
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
