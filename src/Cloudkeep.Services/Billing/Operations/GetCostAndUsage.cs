using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Billing.Operations;

/// <summary>
/// Costs and usage per period (DAILY, MONTHLY, HOURLY), optionally filtered and grouped by up to two
/// dimensions or tags: the metered usage times the price list, for the accounts the caller pays for.
/// </summary>
public sealed class GetCostAndUsage(CostExplorerContext costs) : CostExplorerOperation(costs)
{
    /// <summary>"Hourly granularity data is available for the past 14 days" (Cost Explorer user guide).</summary>
    private static readonly TimeSpan HourlyHistory = TimeSpan.FromDays(14);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefuseNextToken(request);
        var input = request.Input;
        var problems = new List<string>();
        var granularity = input.OptStr("Granularity") ?? "";
        var period = CostPeriod.Parse(input.OptObject("TimePeriod"), granularity, problems);
        var grouping = CostGrouping.Parse(input.OptArray("GroupBy"), input.OptArray("Metrics"), problems);
        var filter = CostFilter.Parse(input.OptObject("Filter"), problems);
        ThrowIfInvalid(problems);
        var now = Costs.Time.GetUtcNow();
        if (granularity == "HOURLY" && period.Start < UsageRollup.HourOf(now) - HourlyHistory)
        {
            throw CostExplorerErrors.DataUnavailable.ToException("Hourly data is only available for the past 14 days.");
        }

        var lines = (await Costs.LinesAsync(request.Caller.AccountId, period.Start, period.End, cancellationToken)).Where(filter.Matches).ToList();
        var byPeriod = lines.ToLookup(l => PeriodStart(period, l.Usage.Hour));
        var results = new JsonArray();
        foreach (var (start, end) in period.Split())
        {
            var inPeriod = byPeriod[start].ToList();
            var result = new JsonObject
            {
                ["TimePeriod"] = new JsonObject { ["Start"] = period.Format(start), ["End"] = period.Format(end) },
            };
            if (grouping.Groups.Count == 0)
            {
                result["Total"] = grouping.MetricsOf(inPeriod, Costs.Prices);
                result["Groups"] = new JsonArray();
            }
            else
            {
                result["Total"] = new JsonObject();
                result["Groups"] = new JsonArray([.. inPeriod
                    .GroupBy(l => string.Join('\u0000', grouping.KeysOf(l)))
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["Keys"] = new JsonArray([.. grouping.KeysOf(g.First()).Select(k => (JsonNode)JsonValue.Create(k)!)]),
                        ["Metrics"] = grouping.MetricsOf([.. g], Costs.Prices),
                    })]);
            }

            result["Estimated"] = end > now;
            results.Add(result);
        }

        var output = new JsonObject
        {
            ["GroupDefinitions"] = new JsonArray([.. grouping.Groups.Select(g => (JsonNode)new JsonObject { ["Type"] = g.Type, ["Key"] = g.Key })]),
            ["ResultsByTime"] = results,
            ["DimensionValueAttributes"] = await AccountAttributesAsync(grouping, lines, cancellationToken),
        };
        return new OperationResult(output);
    }

    /// <summary>The start of the result period a usage hour falls in.</summary>
    private static DateTimeOffset PeriodStart(CostPeriod period, DateTimeOffset hour)
    {
        var start = period.Granularity switch
        {
            "MONTHLY" => new DateTimeOffset(hour.Year, hour.Month, 1, 0, 0, 0, TimeSpan.Zero),
            "HOURLY" => hour,
            _ => new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero),
        };
        return start < period.Start ? period.Start : start;
    }

    /// <summary>Grouped by LINKED_ACCOUNT, the answer names each account ("description"), as Cost Explorer's does.</summary>
    private async Task<JsonArray> AccountAttributesAsync(CostGrouping grouping, List<CostLine> lines, CancellationToken cancellationToken)
    {
        if (!grouping.Groups.Contains(("DIMENSION", "LINKED_ACCOUNT")))
        {
            return [];
        }

        var names = (await Costs.Organizations.Accounts.ListAsync(cancellationToken)).ToDictionary(a => a.AccountId, a => a.Name, StringComparer.Ordinal);
        return new JsonArray([.. lines.Select(l => l.Usage.AccountId).Distinct().Order(StringComparer.Ordinal).Select(a => (JsonNode)new JsonObject
        {
            ["Value"] = a,
            ["Attributes"] = new JsonObject { ["description"] = names.GetValueOrDefault(a, a) },
        })]);
    }
}
