using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>The shape of an Organizations operation: organizations:&lt;Operation&gt; on a resource of the organization.</summary>
public abstract class OrganizationsOperation(OrganizationContext organizations) : IOperationHandler
{
    public string Service => "organizations";

    public string Operation => GetType().Name;

    protected OrganizationContext Organizations => organizations;

    /// <summary>Whether only callers in the management account may run it (all but CreateOrganization and DescribeOrganization).</summary>
    protected virtual bool ManagementAccountOnly => true;

    public async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ids = await organizations.GetIdsAsync(cancellationToken);
        request.Facts.Set(ids);
        return new AuthorizationTarget("organizations:" + Operation, [Resource(request, ids)])
        {
            CallerAccountRequired = ManagementAccountOnly ? ids.ManagementAccountId : null,
        };
    }

    protected virtual string Resource(OperationRequest request, OrganizationContext.Ids ids) => "*";

    /// <summary>The organization's ids, as describing the request read them.</summary>
    protected async ValueTask<OrganizationContext.Ids> IdsAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Facts.Find<OrganizationContext.Ids>() ?? await organizations.GetIdsAsync(cancellationToken);
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);
}
