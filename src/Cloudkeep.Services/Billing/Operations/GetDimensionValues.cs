using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Billing.Operations;

/// <summary>The values a dimension takes in the period's metered usage (COST_AND_USAGE context; there are no reservations or savings plans).</summary>
public sealed class GetDimensionValues(CostExplorerContext costs) : CostExplorerOperation(costs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var problems = new List<string>();
        var period = CostPeriod.Parse(input.OptObject("TimePeriod"), "DAILY", problems);
        var dimension = input.OptStr("Dimension") ?? "";
        var context = input.OptStr("Context") ?? "COST_AND_USAGE";
        if (context == "COST_AND_USAGE" && !CostFilter.Dimensions.Contains(dimension))
        {
            problems.Add($"Dimension {dimension} is not allowed. Allowed value(s): {string.Join(", ", CostFilter.Dimensions)}");
        }

        var filter = CostFilter.Parse(input.OptObject("Filter"), problems);
        var pageSize = ValuePage.PageSize(input, problems);
        ThrowIfInvalid(problems);
        var search = input.OptStr("SearchString");
        var values = new List<string>();
        if (context == "COST_AND_USAGE")
        {
            var lines = await Costs.LinesAsync(request.Caller.AccountId, period.Start, period.End, cancellationToken);
            values = [.. lines.Where(filter.Matches).Select(l => l.Dimension(dimension)).Where(v => v.Length > 0)
                .Where(v => search is null || v.Contains(search, StringComparison.OrdinalIgnoreCase))
                .Distinct().Order(StringComparer.Ordinal)];
        }

        var page = ValuePage.Of(values, input, pageSize);
        var names = dimension == "LINKED_ACCOUNT"
            ? (await Costs.Organizations.Accounts.ListAsync(cancellationToken)).ToDictionary(a => a.AccountId, a => a.Name, StringComparer.Ordinal)
            : null;
        var output = new JsonObject
        {
            ["DimensionValues"] = new JsonArray([.. page.Values.Select(v => (JsonNode)new JsonObject
            {
                ["Value"] = v,
                ["Attributes"] = names is null ? new JsonObject() : new JsonObject { ["description"] = names.GetValueOrDefault(v, v) },
            })]),
            ["ReturnSize"] = page.Values.Count,
            ["TotalSize"] = page.TotalSize,
        };
        if (page.NextPageToken is { } token)
        {
            output["NextPageToken"] = token;
        }

        return new OperationResult(output);
    }
}
