using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class ListAccountsForParent(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ParentId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await ManagementOnlyAsync(request, cancellationToken);
        var parent = request.Input.Str("ParentId");
        if (!await Units.IsParentAsync(ids, parent, cancellationToken))
        {
            throw OrganizationalUnits.ParentNotFound.ToException();
        }

        var accounts = new List<JsonNode>();
        foreach (var account in await Organizations.Accounts.ListAsync(cancellationToken))
        {
            if (await Units.ParentOfAccountAsync(ids, account.AccountId, cancellationToken) == parent)
            {
                accounts.Add(OrganizationContext.Account(ids, account));
            }
        }

        return OrganizationsPaging.Result("Accounts", accounts, request.Input);
    }
}
