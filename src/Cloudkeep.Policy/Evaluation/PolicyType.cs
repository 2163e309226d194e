namespace Cloudkeep.Policy;

/// <summary>The role a policy plays in a decision; used in traces and AccessDenied messages.</summary>
public enum PolicyType
{
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    ServiceControl,
}
