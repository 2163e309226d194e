namespace Cloudkeep.Policy;

public enum DecisionOutcome
{
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}
