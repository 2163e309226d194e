using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class ListOrganizationalUnitsForParent(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ParentId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var parent = request.Input.Str("ParentId");
        await Units.RequireParentAsync(ids, parent, cancellationToken);

        var units = (await Units.ListAsync(cancellationToken)).Where(u => u.ParentId == parent).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        return OrganizationsPaging.Result("OrganizationalUnits", units.Select(u => (JsonNode)OrganizationalUnits.Shape(ids, u)).ToList(), request.Input);
    }
}
