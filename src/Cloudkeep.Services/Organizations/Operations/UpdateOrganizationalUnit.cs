using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:UpdateOrganizationalUnit: renames an OU (unique among its siblings); without a name it changes nothing.</summary>
public sealed class UpdateOrganizationalUnit(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "OrganizationalUnitId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var unit = await Units.RequireAsync(request.Input.Str("OrganizationalUnitId"), cancellationToken);
        if (request.Input.OptStr("Name") is { } name && name != unit.Name)
        {
            if ((await Units.ListAsync(cancellationToken)).Any(u => u.ParentId == unit.ParentId && u.Name == name))
            {
                throw OrganizationsErrors.DuplicateUnit.ToException();
            }

            unit = await Organizations.Iam.Store.UpdateAsync<OrganizationalUnits.Unit>(ids.ManagementAccountId, OrganizationalUnits.Kind, unit.Id, u => u with { Name = name },
                () => OrganizationsErrors.UnitNotFound.ToException(), cancellationToken);
        }

        return new OperationResult(new JsonObject { ["OrganizationalUnit"] = OrganizationalUnits.Shape(ids, unit) });
    }
}
