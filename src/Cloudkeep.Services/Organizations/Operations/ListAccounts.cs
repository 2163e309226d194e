using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
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
        var start = 0;
        if (request.Input.OptStr("NextToken") is { } token && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw new AwsError("InvalidInputException", 400, ErrorFault.Sender, "The NextToken is not valid.").ToException();
        }

        var max = (int)(request.Input.OptLong("MaxResults") ?? 20);
        var page = accounts.Skip(start).Take(max).ToList();
        var output = new JsonObject { ["Accounts"] = new JsonArray([.. page.Select(a => (JsonNode)OrganizationContext.Account(ids, a))]) };
        if (start + page.Count < accounts.Count)
        {
            output["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return new OperationResult(output);
    }
}
