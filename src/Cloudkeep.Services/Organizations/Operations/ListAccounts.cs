using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:ListAccounts with NextToken / MaxResults pagination.</summary>
public sealed class ListAccounts(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await Organizations.GetIdsAsync(cancellationToken);
        OrganizationContext.RequireManagement(request, ids);
        var accounts = await Organizations.Accounts.ListAsync(cancellationToken);
        var (page, next) = OrganizationsPaging.Page(accounts, request.Input);
        var output = new JsonObject { ["Accounts"] = new JsonArray([.. page.Select(a => (JsonNode)OrganizationContext.Account(ids, a))]) };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return new OperationResult(output);
    }
}
