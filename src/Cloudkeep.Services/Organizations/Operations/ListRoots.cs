using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class ListRoots(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["Roots"] = new JsonArray(new JsonObject
            {
                ["Id"] = ids.RootId,
                ["Arn"] = OrganizationContext.RootArn(ids),
                ["Name"] = "Root",
                ["PolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
            }),
        });
    }
}
