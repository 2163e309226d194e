using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:EnablePolicyType: SCPs are enabled from the start, so AWS's answer is PolicyTypeAlreadyEnabledException.</summary>
public sealed class EnablePolicyType(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        if (request.Input.Str("RootId") != ids.RootId)
        {
            throw OrganizationsErrors.RootNotFound.ToException();
        }

        if (request.Input.Str("PolicyType") == "SERVICE_CONTROL_POLICY")
        {
            throw OrganizationsErrors.PolicyTypeAlreadyEnabled.ToException();
        }

        throw OrganizationsErrors.PolicyTypeNotAvailable.ToException();
    }
}
