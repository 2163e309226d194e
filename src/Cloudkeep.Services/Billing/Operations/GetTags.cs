using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Billing.Operations;

/// <summary>The cost allocation tag keys of the period's usage, or with TagKey that key's values.</summary>
public sealed class GetTags(CostExplorerContext costs) : CostExplorerOperation(costs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var problems = new List<string>();
        var period = CostPeriod.Parse(input.OptObject("TimePeriod"), "DAILY", problems);
        var filter = CostFilter.Parse(input.OptObject("Filter"), problems);
        var pageSize = ValuePage.PageSize(input, problems);
        ThrowIfInvalid(problems);
        var key = input.OptStr("TagKey");
        var search = input.OptStr("SearchString");
        var lines = (await Costs.LinesAsync(request.Caller.AccountId, period.Start, period.End, cancellationToken)).Where(filter.Matches);
        var tags = (key is null
                ? lines.SelectMany(l => l.Tags.Keys)
                : lines.Select(l => l.Tags.TryGetValue(key, out var value) ? value : null).OfType<string>())
            .Where(t => search is null || t.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var page = ValuePage.Of(tags, input, pageSize);
        var output = new JsonObject
        {
            ["Tags"] = new JsonArray([.. page.Values.Select(t => (JsonNode)JsonValue.Create(t)!)]),
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
