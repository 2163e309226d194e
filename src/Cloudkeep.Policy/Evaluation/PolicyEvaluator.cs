namespace Cloudkeep.Policy;

/// <summary>
/// AWS's policy evaluation logic.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
/// </summary>
public static class PolicyEvaluator
{
    public static AuthorizationDecision Evaluate(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Evaluate(request, default(CompiledMatcher));
    }

    internal static AuthorizationDecision Evaluate<TMatcher>(EvaluationRequest request, TMatcher matcher)
        where TMatcher : struct, IPolicyMatcher
    {
        List<MatchedStatement>? trace = null;
        var principal = request.Principal;
        var inAccount = principal.IsAuthenticatedInAccount;

        // SCPs: every level from the root to the account must allow; they govern every principal of a member
        // account, its root user included, and never the management account (the caller passes null there).
        // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
        var scpDeny = false;
        var scpAllow = true;
        if (request.ScpLevels is not null && inAccount)
        {
            // Indexed loops: foreach over the IReadOnlyList interfaces would allocate an enumerator per list.
            var levels = request.ScpLevels;
            for (var l = 0; l < levels.Count; l++)
            {
                var level = levels[l];
                var levelResult = default(PolicySetResult);
                for (var i = 0; i < level.Count; i++)
                {
                    matcher.Match(level[i], request, PolicyType.ServiceControl, ref levelResult, ref trace);
                }

                scpDeny |= levelResult.Deny;
                scpAllow &= levelResult.Allow;
            }
        }

        var resource = default(PolicySetResult);
        if (request.ResourcePolicy is not null)
        {
            matcher.Match(request.ResourcePolicy, request, PolicyType.Resource, ref resource, ref trace);
        }

        // The root user is not governed by identity policies, boundaries or session policies of its account.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
        var identityApplies = inAccount && principal.Type != PrincipalType.Root;
        var identity = default(PolicySetResult);
        var boundary = default(PolicySetResult);
        var session = default(PolicySetResult);
        if (identityApplies)
        {
            var policies = request.IdentityPolicies;
            for (var i = 0; i < policies.Count; i++)
            {
                matcher.Match(policies[i], request, PolicyType.Identity, ref identity, ref trace);
            }

            if (request.PermissionsBoundary is not null)
            {
                matcher.Match(request.PermissionsBoundary, request, PolicyType.PermissionsBoundary, ref boundary, ref trace);
            }

            if (request.SessionPolicies is not null)
            {
                var sessionPolicies = request.SessionPolicies;
                for (var i = 0; i < sessionPolicies.Count; i++)
                {
                    matcher.Match(sessionPolicies[i], request, PolicyType.Session, ref session, ref trace);
                }
            }
        }

        // 1. An explicit deny in any applicable policy is final.
        if (scpDeny)
        {
            return Decide(request, DecisionOutcome.ExplicitDeny, PolicyType.ServiceControl, trace);
        }

        if (resource.Deny)
        {
            return Decide(request, DecisionOutcome.ExplicitDeny, PolicyType.Resource, trace);
        }

        if (identity.Deny)
        {
            return Decide(request, DecisionOutcome.ExplicitDeny, PolicyType.Identity, trace);
        }

        if (boundary.Deny)
        {
            return Decide(request, DecisionOutcome.ExplicitDeny, PolicyType.PermissionsBoundary, trace);
        }

        if (session.Deny)
        {
            return Decide(request, DecisionOutcome.ExplicitDeny, PolicyType.Session, trace);
        }

        // 2. SCPs must allow.
        if (!scpAllow)
        {
            return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.ServiceControl, trace);
        }

        // Anonymous callers, services and web identities have no identity policies: only the resource policy
        // can grant, and only by naming them (or "*"), never by naming an account.
        if (!inAccount)
        {
            return resource.BestAllow >= PrincipalMatch.Direct
                ? Decide(request, DecisionOutcome.Allow, null, trace)
                : Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Resource, trace);
        }

        var isRoot = principal.Type == PrincipalType.Root;
        var identityAllows = isRoot || identity.Allow;
        var boundaryAllows = isRoot || request.PermissionsBoundary is null || boundary.Allow;
        var sessionAllows = isRoot || request.SessionPolicies is null || session.Allow;
        var resourceAllows = resource.Allow;

        if (!request.IsSameAccount)
        {
            // Cross-account: the caller's account (identity side) and the resource's account must both allow.
            if (!identityAllows)
            {
                return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Identity, trace);
            }

            if (!boundaryAllows)
            {
                return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.PermissionsBoundary, trace);
            }

            if (!sessionAllows)
            {
                return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Session, trace);
            }

            return resourceAllows
                ? Decide(request, DecisionOutcome.Allow, null, trace)
                : Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Resource, trace);
        }

        // Same account. Trust policies and KMS key policies must allow on their own; naming the account there
        // delegates to IAM policies. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
        if (request.ResourcePolicyRequired && !resourceAllows)
        {
            return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Resource, trace);
        }

        // A resource policy naming the caller (or its role, or "*") grants without an identity policy.
        if (!identityAllows && resource.BestAllow < PrincipalMatch.Direct)
        {
            return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Identity, trace);
        }

        // Boundaries and session policies limit everything except a resource policy that names the user or the
        // role session itself; naming the role ARN stays limited.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-eval-logic
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
        if (resource.BestAllow != PrincipalMatch.Exact)
        {
            if (!boundaryAllows)
            {
                return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.PermissionsBoundary, trace);
            }

            if (!sessionAllows)
            {
                return Decide(request, DecisionOutcome.ImplicitDeny, PolicyType.Session, trace);
            }
        }

        return Decide(request, DecisionOutcome.Allow, null, trace);
    }

    private static AuthorizationDecision Decide(EvaluationRequest request, DecisionOutcome outcome, PolicyType? type,
        List<MatchedStatement>? trace) =>
        new(request, outcome, type, (IReadOnlyList<MatchedStatement>?)trace ?? []);
}
