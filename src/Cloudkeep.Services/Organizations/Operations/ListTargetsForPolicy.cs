using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>
/// organizations:ListTargetsForPolicy on the policy's ARN: the root, OUs and accounts the policy is
/// attached to, in attachment order, paged like the other List* operations.
/// </summary>
public sealed class ListTargetsForPolicy(OrganizationContext organizations) : ScpOperation(organizations)
{
    protected override string Resource(OperationRequest request, OrganizationContext.Ids ids) =>
        ServiceControlPolicies.Arn(ids, request.Input.OptStr("PolicyId") ?? "");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var policy = await Scps.RequireAsync(request.Input.Str("PolicyId"), cancellationToken);
        var accounts = (await Organizations.Accounts.ListAsync(cancellationToken)).ToDictionary(a => a.AccountId, StringComparer.Ordinal);
        var units = (await new OrganizationalUnits(Organizations).ListAsync(cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var targets = new List<JsonNode>();
        foreach (var target in policy.Targets)
        {
            if (target == ids.RootId)
            {
                targets.Add(new JsonObject { ["TargetId"] = target, ["Arn"] = OrganizationContext.RootArn(ids), ["Name"] = "Root", ["Type"] = "ROOT" });
            }
            else if (units.TryGetValue(target, out var unit))
            {
                targets.Add(new JsonObject { ["TargetId"] = target, ["Arn"] = OrganizationalUnits.Arn(ids, target), ["Name"] = unit.Name, ["Type"] = "ORGANIZATIONAL_UNIT" });
            }
            else if (accounts.TryGetValue(target, out var account))
            {
                targets.Add(new JsonObject { ["TargetId"] = target, ["Arn"] = OrganizationContext.AccountArn(ids, target), ["Name"] = account.Name, ["Type"] = "ACCOUNT" });
            }
        }

        return OrganizationsPaging.Result("Targets", targets, request.Input);
    }
}
