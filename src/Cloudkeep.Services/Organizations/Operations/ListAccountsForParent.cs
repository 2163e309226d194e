using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class ListAccountsForParent(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ParentId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var parent = request.Input.Str("ParentId");
        await Units.RequireParentAsync(ids, parent, cancellationToken);

        var accounts = await Units.AccountsUnderAsync(ids, parent, cancellationToken);
        return OrganizationsPaging.Result("Accounts", [.. accounts.Select(a => (JsonNode)OrganizationContext.Account(ids, a))], request.Input);
    }
}
