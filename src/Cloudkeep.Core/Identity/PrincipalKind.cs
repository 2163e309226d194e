namespace Cloudkeep.Core.Identity;

/// <summary>The kinds of caller AWS distinguishes in aws:PrincipalType.</summary>
public enum PrincipalKind
{
    Anonymous,
    Root,
    User,
    AssumedRole,
    FederatedUser,
}
