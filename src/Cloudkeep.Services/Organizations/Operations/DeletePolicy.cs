using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class DeletePolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var policy = await Scps.RequireAsync(request.Input.Str("PolicyId"), cancellationToken);
        if (policy.AwsManaged)
        {
            throw OrganizationsErrors.AccessDenied.ToException("You can't delete an AWS managed policy.");
        }

        if (policy.Targets.Count > 0)
        {
            throw OrganizationsErrors.PolicyInUse.ToException();
        }

        await Organizations.Iam.Store.DeleteAsync(ids.ManagementAccountId, ServiceControlPolicies.Kind, policy.Id, () => OrganizationsErrors.PolicyNotFound.ToException(), cancellationToken);
        return OperationResult.Empty;
    }
}
