using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class ListPoliciesForTarget(OrganizationContext organizations) : ScpOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        RequireScpType(request.Input.Str("Filter"));
        var target = request.Input.Str("TargetId");
        await RequireTargetAsync(ids, target, cancellationToken);
        var policies = (await Scps.ListAsync(cancellationToken)).Where(p => p.Targets.Contains(target));
        return new OperationResult(new JsonObject { ["Policies"] = new JsonArray([.. policies.Select(p => (JsonNode)ServiceControlPolicies.Summary(ids, p))]) });
    }
}
