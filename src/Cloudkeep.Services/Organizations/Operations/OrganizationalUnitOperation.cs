using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>An Organizations operation on the OU tree (management account only), authorized on the OU's or parent's ARN.</summary>
public abstract class OrganizationalUnitOperation(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    protected OrganizationalUnits Units { get; } = new(organizations);

    /// <summary>The input member naming the OU, root or account the operation acts on, for its ARN.</summary>
    protected virtual string? ResourceMember => null;

    protected override string Resource(OperationRequest request, OrganizationContext.Ids ids)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ids);
        return (ResourceMember is null ? null : request.Input.OptStr(ResourceMember)) switch
        {
            null => "*",
            var id when id == ids.RootId => OrganizationContext.RootArn(ids),
            var id when id.StartsWith("ou-", StringComparison.Ordinal) => OrganizationalUnits.Arn(ids, id),
            var id => OrganizationContext.AccountArn(ids, id),
        };
    }
}
