using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>The shape of an Organizations operation: organizations:&lt;Operation&gt; on a resource of the organization.</summary>
public abstract class OrganizationsOperation(OrganizationContext organizations) : IOperationHandler
{
    public string Service => "organizations";

    public string Operation => GetType().Name;

    protected OrganizationContext Organizations => organizations;

    public async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await organizations.GetIdsAsync(cancellationToken);
        return new AuthorizationTarget("organizations:" + Operation, [Resource(request, ids)]);
    }

    protected virtual string Resource(OperationRequest request, OrganizationContext.Ids ids) => "*";

    /// <summary>The organization's ids, after refusing callers outside the management account.</summary>
    protected async Task<OrganizationContext.Ids> ManagementOnlyAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await organizations.GetIdsAsync(cancellationToken);
        OrganizationContext.RequireManagement(request, ids);
        return ids;
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);
}
