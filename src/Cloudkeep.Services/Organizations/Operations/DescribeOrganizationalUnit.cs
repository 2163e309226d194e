using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class DescribeOrganizationalUnit(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "OrganizationalUnitId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var unit = await Units.RequireAsync(request.Input.Str("OrganizationalUnitId"), cancellationToken);
        return new OperationResult(new JsonObject { ["OrganizationalUnit"] = OrganizationalUnits.Shape(ids, unit) });
    }
}
