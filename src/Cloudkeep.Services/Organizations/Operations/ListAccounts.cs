using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:ListAccounts with NextToken / MaxResults pagination.</summary>
public sealed class ListAccounts(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var accounts = await Organizations.Accounts.ListAsync(cancellationToken);
        return OrganizationsPaging.Result("Accounts", [.. accounts.Select(a => (JsonNode)OrganizationContext.Account(ids, a))], request.Input);
    }
}
