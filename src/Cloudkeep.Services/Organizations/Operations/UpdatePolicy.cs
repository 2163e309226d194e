using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>
/// organizations:UpdatePolicy on the policy's ARN: a new name, description or content; what is not
/// supplied stays. Content is checked exactly as CreatePolicy checks it, a name may not be another
/// SCP's, and AWS managed policies (FullAWSAccess) are immutable. Every check runs before the write,
/// so a refused update changes nothing. The write moves the IAM store's generation, which drops the
/// authorizer's cached SCP levels: the new content governs the next request of every target.
/// </summary>
public sealed class UpdatePolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    protected override string Resource(OperationRequest request, OrganizationContext.Ids ids) =>
        ServiceControlPolicies.Arn(ids, request.Input.OptStr("PolicyId") ?? "");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var policyId = request.Input.Str("PolicyId");
        var current = await Scps.RequireAsync(policyId, cancellationToken);
        if (current.AwsManaged)
        {
            throw OrganizationsErrors.WithReason(OrganizationsErrors.InvalidInput, "IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
        }

        var name = request.Input.OptStr("Name");
        var description = request.Input.OptStr("Description");
        var content = request.Input.OptStr("Content");
        if (content is not null)
        {
            ServiceControlPolicies.ValidateContent(content);
        }

        if (name is not null && (await Scps.ListAsync(cancellationToken)).Any(p => p.Id != policyId && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw OrganizationsErrors.DuplicatePolicy.ToException();
        }

        var updated = await Scps.UpdateAsync(policyId, policy => policy with
        {
            Name = name ?? policy.Name,
            Description = description ?? policy.Description,
            Content = content ?? policy.Content,
        }, cancellationToken);
        return new OperationResult(ServiceControlPolicies.Detail(ids, updated));
    }
}
