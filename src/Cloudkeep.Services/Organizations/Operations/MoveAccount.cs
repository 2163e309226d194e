using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>
/// organizations:MoveAccount from its current root or OU to another. The account's SCP levels follow
/// at once: the next request of its principals is judged under its new parents.
/// </summary>
public sealed class MoveAccount(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "AccountId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var accountId = request.Input.Str("AccountId");
        var source = request.Input.Str("SourceParentId");
        var destination = request.Input.Str("DestinationParentId");
        if (await Organizations.Accounts.GetAsync(accountId, cancellationToken) is null)
        {
            throw OrganizationsErrors.AccountNotFound.ToException();
        }

        await Units.RequireParentAsync(ids, source, cancellationToken, OrganizationsErrors.SourceParentNotFound);
        await Units.RequireParentAsync(ids, destination, cancellationToken, OrganizationsErrors.DestinationParentNotFound);

        var current = await Units.ParentOfAccountAsync(ids, accountId, cancellationToken);
        if (current != source)
        {
            throw OrganizationsErrors.SourceParentNotFound.ToException("The account is not in the source parent that you specified.");
        }

        if (current == destination)
        {
            throw OrganizationsErrors.DuplicateAccount.ToException();
        }

        await Units.PlaceAsync(ids, accountId, destination, cancellationToken);
        return OperationResult.Empty;
    }
}
