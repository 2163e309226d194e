using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:DetachPolicy. As in AWS, a target keeps at least one SCP (ConstraintViolationException).</summary>
public sealed class DetachPolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var target = request.Input.Str("TargetId");
        await RequireTargetAsync(ids, target, cancellationToken);
        var attached = (await Scps.ListAsync(cancellationToken)).Count(p => p.Targets.Contains(target));
        await Scps.UpdateAsync(request.Input.Str("PolicyId"), policy =>
        {
            if (!policy.Targets.Contains(target))
            {
                throw OrganizationsErrors.PolicyNotAttached.ToException();
            }

            if (attached <= 1)
            {
                throw OrganizationsErrors.ConstraintViolation.ToException("You cannot remove the last service control policy from a target.");
            }

            return policy with { Targets = [.. policy.Targets.Where(t => t != target)] };
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
