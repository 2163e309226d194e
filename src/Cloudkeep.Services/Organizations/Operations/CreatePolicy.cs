using System.Security.Cryptography;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:CreatePolicy (SERVICE_CONTROL_POLICY), validated by the policy engine with SCP rules and limits.</summary>
public sealed class CreatePolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        RequireScpType(request.Input.Str("Type"));
        var content = request.Input.Str("Content");
        ServiceControlPolicies.ValidateContent(content);
        var name = request.Input.Str("Name");
        if ((await Scps.ListAsync(cancellationToken)).Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw OrganizationsErrors.DuplicatePolicy.ToException();
        }

        var policy = new ServiceControlPolicies.Scp("p-" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8), name, request.Input.Str("Description"), content, false, []);
        await Organizations.Iam.Store.InsertAsync(ids.ManagementAccountId, ServiceControlPolicies.Kind, policy.Id, policy.Id, policy,
            () => OrganizationsErrors.DuplicatePolicy.ToException(), cancellationToken);
        return new OperationResult(ServiceControlPolicies.Detail(ids, policy));
    }
}
