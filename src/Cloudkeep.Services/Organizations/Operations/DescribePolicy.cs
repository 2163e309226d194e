using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class DescribePolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var policy = await Scps.RequireAsync(request.Input.Str("PolicyId"), cancellationToken);
        return new OperationResult(ServiceControlPolicies.Detail(ids, policy));
    }
}
