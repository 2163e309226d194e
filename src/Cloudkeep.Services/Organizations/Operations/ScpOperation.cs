
namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>An Organizations operation on service control policies (management account only).</summary>
public abstract class ScpOperation(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    protected ServiceControlPolicies Scps { get; } = new(organizations);

    protected static void RequireScpType(string? type)
    {
        if (type is not null and not "SERVICE_CONTROL_POLICY")
        {
            throw OrganizationsErrors.PolicyTypeNotEnabled.ToException();
        }
    }

    /// <summary>A target is the root, an OU or an account of the organization.</summary>
    protected async Task RequireTargetAsync(OrganizationContext.Ids ids, string targetId, CancellationToken cancellationToken)
    {
        var exists = targetId == ids.RootId
            || (targetId.StartsWith("ou-", StringComparison.Ordinal)
                ? await new OrganizationalUnits(Organizations).GetAsync(targetId, cancellationToken) is not null
                : await Organizations.Accounts.GetAsync(targetId, cancellationToken) is not null);
        if (!exists)
        {
            throw OrganizationsErrors.TargetNotFound.ToException();
        }
    }
}
