using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:EnablePolicyType: SCPs are enabled from the start, so AWS's answer is PolicyTypeAlreadyEnabledException.</summary>
public sealed class EnablePolicyType(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await ManagementOnlyAsync(request, cancellationToken);
        if (request.Input.Str("RootId") != ids.RootId)
        {
            throw new AwsError("RootNotFoundException", 400, ErrorFault.Sender, "We can't find a root with the RootId that you specified.").ToException();
        }

        if (request.Input.Str("PolicyType") == "SERVICE_CONTROL_POLICY")
        {
            throw new AwsError("PolicyTypeAlreadyEnabledException", 400, ErrorFault.Sender, "The specified policy type is already enabled.").ToException();
        }

        throw new AwsError("PolicyTypeNotAvailableForOrganizationException", 400, ErrorFault.Sender, "You can't use the specified policy type with the feature set currently enabled for this organization.").ToException();
    }
}
