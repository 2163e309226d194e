using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:AttachPolicy to the root or an account.</summary>
public sealed class AttachPolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var target = request.Input.Str("TargetId");
        await RequireTargetAsync(ids, target, cancellationToken);
        await Scps.UpdateAsync(request.Input.Str("PolicyId"), policy =>
            policy.Targets.Contains(target)
                ? throw OrganizationsErrors.DuplicatePolicyAttachment.ToException()
                : policy with { Targets = [.. policy.Targets, target] }, cancellationToken);
        return OperationResult.Empty;
    }
}
