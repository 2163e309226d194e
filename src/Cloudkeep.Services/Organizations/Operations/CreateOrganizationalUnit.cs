using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>
/// organizations:CreateOrganizationalUnit under the root or an OU. As in AWS, names are unique
/// among an OU's siblings, the tree is at most five levels deep, and FullAWSAccess is attached to
/// the new OU so it allows what its parent allows until narrowed.
/// </summary>
public sealed class CreateOrganizationalUnit(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ParentId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var parent = request.Input.Str("ParentId");
        var name = request.Input.Str("Name");
        await Units.RequireParentAsync(ids, parent, cancellationToken);

        var units = await Units.ListAsync(cancellationToken);
        if (units.Any(u => u.ParentId == parent && u.Name == name))
        {
            throw OrganizationsErrors.DuplicateUnit.ToException();
        }

        if (OrganizationalUnits.DepthUnder(units, parent) > OrganizationalUnits.MaxDepth)
        {
            throw OrganizationsErrors.WithReason(OrganizationsErrors.ConstraintViolation, "OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.");
        }

        if (units.Count >= OrganizationalUnits.MaxUnits)
        {
            throw OrganizationsErrors.WithReason(OrganizationsErrors.ConstraintViolation, "OU_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of OUs that you can have in an organization.");
        }

        var unit = new OrganizationalUnits.Unit(OrganizationalUnits.NewId(ids), name, parent);
        await Organizations.Iam.Store.InsertAsync(ids.ManagementAccountId, OrganizationalUnits.Kind, unit.Id, unit.Id, unit, () => OrganizationsErrors.ConcurrentModification.ToException(), cancellationToken);
        var scps = new ServiceControlPolicies(Organizations);
        await scps.UpdateAsync(ServiceControlPolicies.FullAwsAccessId, p => p with { Targets = [.. p.Targets, unit.Id] }, cancellationToken);
        return new OperationResult(new JsonObject { ["OrganizationalUnit"] = OrganizationalUnits.Shape(ids, unit) });
    }
}
