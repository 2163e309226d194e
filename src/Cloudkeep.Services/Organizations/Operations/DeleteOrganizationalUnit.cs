using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:DeleteOrganizationalUnit: only an empty OU (no accounts, no child OUs); the policies attached to it go with it.</summary>
public sealed class DeleteOrganizationalUnit(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "OrganizationalUnitId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var unit = await Units.RequireAsync(request.Input.Str("OrganizationalUnitId"), cancellationToken);
        if ((await Units.ListAsync(cancellationToken)).Any(u => u.ParentId == unit.Id) || (await Units.AccountsUnderAsync(ids, unit.Id, cancellationToken)).Count > 0)
        {
            throw OrganizationsErrors.UnitNotEmpty.ToException();
        }

        var scps = new ServiceControlPolicies(Organizations);
        foreach (var policy in (await scps.ListAsync(cancellationToken)).Where(p => p.Targets.Contains(unit.Id)))
        {
            await scps.UpdateAsync(policy.Id, p => p with { Targets = [.. p.Targets.Where(t => t != unit.Id)] }, cancellationToken);
        }

        await Organizations.Iam.Store.DeleteAsync(ids.ManagementAccountId, OrganizationalUnits.Kind, unit.Id, () => OrganizationsErrors.UnitNotFound.ToException(), cancellationToken);
        return OperationResult.Empty;
    }
}
