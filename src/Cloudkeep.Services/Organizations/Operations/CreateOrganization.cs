using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:CreateOrganization: the estate is an organization from its first start.</summary>
public sealed class CreateOrganization(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    /// <summary>Any account of the organization may ask (a member account is told AlreadyInOrganization or sees its organization).</summary>
    protected override bool ManagementAccountOnly => false;

    public override ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken) =>
        throw OrganizationsErrors.AlreadyInOrganization.ToException("The AWS account is already a member of an organization.");
}
