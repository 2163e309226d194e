namespace Cloudkeep.Policy;

/// <summary>The result of one evaluation, with the statements that decided it.</summary>
public sealed class AuthorizationDecision
{
    internal AuthorizationDecision(EvaluationRequest request, DecisionOutcome outcome, PolicyType? decidingPolicyType,
        IReadOnlyList<MatchedStatement> trace)
    {
        Outcome = outcome;
        DecidingPolicyType = decidingPolicyType;
        Trace = trace;
        PrincipalArn = request.Principal.Arn;
        Action = request.Action;
        Resource = request.Resource;
    }

    public DecisionOutcome Outcome { get; }

    public bool IsAllowed => Outcome == DecisionOutcome.Allow;

    /// <summary>For an explicit deny the policy type holding the Deny; for an implicit deny the type that did not allow.</summary>
    public PolicyType? DecidingPolicyType { get; }

    /// <summary>Every statement that matched the request (Allow and Deny), in evaluation order.</summary>
    public IReadOnlyList<MatchedStatement> Trace { get; }

    public string PrincipalArn { get; }

    public string Action { get; }

    public string Resource { get; }

    /// <summary>
    /// AWS's enhanced AccessDenied message; null for an Allow.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html#access-denied-error-messages
    /// </summary>
    public string? ToAccessDeniedMessage()
    {
        if (Outcome == DecisionOutcome.Allow)
        {
            return null;
        }

        var resource = string.IsNullOrEmpty(Resource) || Resource == "*" ? string.Empty : $" on resource: {Resource}";
        var head = $"User: {PrincipalArn} is not authorized to perform: {Action}{resource}";
        var type = DecidingPolicyType ?? PolicyType.Identity;
        if (Outcome == DecisionOutcome.ExplicitDeny)
        {
            return $"{head} with an explicit deny in {Article(type)} {Name(type)}";
        }

        return $"{head} because no {Name(type)} allows the {Action} action";
    }

    private static string Name(PolicyType type) => type switch
    {
        PolicyType.Identity => "identity-based policy",
        PolicyType.Resource => "resource-based policy",
        PolicyType.PermissionsBoundary => "permissions boundary",
        PolicyType.Session => "session policy",
        _ => "service control policy",
    };

    private static string Article(PolicyType type) => type == PolicyType.Identity ? "an" : "a";

    public override string ToString() => $"{Outcome} ({DecidingPolicyType?.ToString() ?? "-"}) {Action} {Resource}";
}
