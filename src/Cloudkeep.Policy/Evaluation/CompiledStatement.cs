namespace Cloudkeep.Policy;

/// <summary>One statement, compiled: every element pre-parsed so evaluation never touches JSON.</summary>
internal sealed class CompiledStatement
{
    private const int BufferSize = 512;

    public required int Index { get; init; }

    public string? Sid { get; init; }

    public required PolicyEffect Effect { get; init; }

    public required ActionPattern[] Actions { get; init; }

    public bool NotAction { get; init; }

    /// <summary>Null when the policy kind has no Resource element (trust policies).</summary>
    public ValueTemplate[]? Resources { get; init; }

    public bool NotResource { get; init; }

    public bool HasVariableResources { get; init; }

    /// <summary>Null in identity-side policies, which apply to their own principal.</summary>
    public PrincipalPattern[]? Principals { get; init; }

    public bool NotPrincipal { get; init; }

    public required CompiledCondition[] Conditions { get; init; }

    /// <summary>Returns how the statement applies to the request: None when it does not.</summary>
    public PrincipalMatch Match(EvaluationRequest request)
    {
        if (!MatchesAction(request.Action))
        {
            return PrincipalMatch.None;
        }

        if (Resources is not null && !MatchesResource(request.Resource, request.Context))
        {
            return PrincipalMatch.None;
        }

        var principal = MatchPrincipal(request.Principal);
        if (principal == PrincipalMatch.None)
        {
            return PrincipalMatch.None;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Evaluate(request.Context))
            {
                return PrincipalMatch.None;
            }
        }

        return principal;
    }

    private bool MatchesAction(string action)
    {
        var any = false;
        foreach (var pattern in Actions)
        {
            if (pattern.IsMatch(action))
            {
                any = true;
                break;
            }
        }

        return any != NotAction;
    }

    private bool MatchesResource(string resource, RequestContext context)
    {
        Span<char> buffer = HasVariableResources ? stackalloc char[BufferSize] : default;
        var any = false;
        foreach (var template in Resources!)
        {
            var pattern = template.StaticText;
            if (pattern is not null)
            {
                var prefix = template.ArnLiteralPrefix;
                var hit = prefix >= 0
                    ? resource.AsSpan().StartsWith(pattern.AsSpan(0, prefix), StringComparison.Ordinal)
                        && Wildcard.IsMatch(pattern.AsSpan(prefix), resource.AsSpan(prefix), ignoreCase: false)
                    : Wildcard.IsArnMatch(pattern, resource);
                if (hit)
                {
                    any = true;
                    break;
                }

                continue;
            }

            var length = template.Render(context, buffer);
            if (length == -1)
            {
                // An entry holding a variable with no value matches no resource, in Resource as in NotResource
                // (where the statement then applies unless another entry names the resource); the other entries
                // still count.
                // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
                continue;
            }

            var matched = length >= 0
                ? Wildcard.IsArnMatch(buffer[..length], resource)
                : Wildcard.IsArnMatch(template.RenderToString(context) ?? string.Empty, resource);
            if (matched)
            {
                any = true;
                break;
            }
        }

        return any != NotResource;
    }

    private PrincipalMatch MatchPrincipal(PrincipalInfo caller)
    {
        if (Principals is null)
        {
            return PrincipalMatch.Direct;
        }

        if (NotPrincipal)
        {
            return IsExcluded(caller) ? PrincipalMatch.None : PrincipalMatch.Direct;
        }

        var best = PrincipalMatch.None;
        foreach (var pattern in Principals)
        {
            var m = pattern.Match(caller);
            if (m > best)
            {
                best = m;
            }
        }

        return best;
    }

    // NotPrincipal excludes a caller only when both the caller itself (its user or session ARN, or the role behind
    // the session) and its account are listed; listing only one leaves the statement applying to it.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    private bool IsExcluded(PrincipalInfo caller)
    {
        bool ownListed = false, accountListed = false;
        foreach (var pattern in Principals!)
        {
            var m = pattern.Match(caller);
            if (m == PrincipalMatch.Account)
            {
                accountListed = true;
            }
            else if (m != PrincipalMatch.None && pattern.Kind != PrincipalPatternKind.Everyone)
            {
                ownListed = true;
            }
        }

        if (caller.Type == PrincipalType.Root)
        {
            return accountListed;
        }

        return caller.IsAuthenticatedInAccount ? ownListed && accountListed : ownListed;
    }
}
