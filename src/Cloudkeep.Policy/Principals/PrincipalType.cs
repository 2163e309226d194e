namespace Cloudkeep.Policy;

/// <summary>The kind of caller, as aws:PrincipalType distinguishes them (plus service and federated providers).</summary>
public enum PrincipalType
{
    Anonymous,
    Root,
    User,
    AssumedRole,
    FederatedUser,
    Service,
    WebIdentity,
}
