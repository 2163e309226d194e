using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:ListTrails: every trail of the caller's account in any region, and its organization's, as TrailARN, Name, HomeRegion.</summary>
public sealed class ListTrails(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "ListTrails";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Input.OptStr("NextToken") is { } token && token.Length > 0)
        {
            // Every trail fits one page (five per region per account), so no token is ever handed out.
            throw CloudTrailErrors.InvalidToken.ToException("The token is not valid.");
        }

        var account = request.Caller.AccountId;
        var management = await Trails.ManagementAccountAsync(Context, cancellationToken);
        var member = management is not null && management != account && await Context.Organizations.Accounts.GetAsync(account, cancellationToken) is not null;
        var rows = await Context.Repository.TrailsAsync(cancellationToken);
        var trails = rows.Select(TrailState.FromRow)
            .Where(t => t.AccountId == account || (member && t.IsOrganization && t.AccountId == management))
            .OrderBy(t => t.Arn, StringComparer.Ordinal)
            .Select(t => (JsonNode)new JsonObject { ["TrailARN"] = t.Arn, ["Name"] = t.Name, ["HomeRegion"] = t.HomeRegion });
        return new OperationResult(new JsonObject { ["Trails"] = new JsonArray([.. trails]) });
    }
}
