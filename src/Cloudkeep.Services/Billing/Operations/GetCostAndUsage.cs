using System.Globalization;
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
        var input = request.Input;
        var problems = new List<string>();
        var granularity = input.OptStr("Granularity") ?? "";
        var period = CostPeriod.Parse(input.OptObject("TimePeriod"), granularity, problems);
        var grouping = CostGrouping.Parse(input.OptArray("GroupBy"), input.OptArray("Metrics"), problems);
        var filter = CostFilter.Parse(input.OptObject("Filter"), problems);
        ThrowIfInvalid(problems);
        var fingerprint = CostPageToken.Fingerprint(input);
        var after = ResultPosition.Parse(CostPageToken.After(input, fingerprint));
        var now = Costs.Time.GetUtcNow();
        if (granularity == "HOURLY" && period.Start < UsageRollup.HourOf(now) - HourlyHistory)
        {
            throw CostExplorerErrors.DataUnavailable.ToException("Hourly data is only available for the past 14 days.");
        }

        var lines = (await Costs.LinesAsync(request.Caller.AccountId, period.Start, period.End, cancellationToken)).Where(filter.Matches).ToList();
        var byPeriod = lines.ToLookup(l => PeriodStart(period, l.Usage.Hour));
        var results = new JsonArray();
        var room = Costs.GroupsPerPage;
        ResultPosition? next = null;
        var index = -1;
        foreach (var (start, end) in period.Split())
        {
            index++;
            if (after is { } position && (index < position.Period || (index == position.Period && position.Key is null)))
            {
                continue;
            }

            if (room == 0)
            {
                next = new ResultPosition(index - 1, null);
                break;
            }

            var inPeriod = byPeriod[start].ToList();
            var result = new JsonObject
            {
                ["TimePeriod"] = new JsonObject { ["Start"] = period.Format(start), ["End"] = period.Format(end) },
            };
            if (grouping.Groups.Count == 0)
            {
                result["Total"] = grouping.MetricsOf(inPeriod, Costs.Prices);
                result["Groups"] = new JsonArray();
                room--;
            }
            else
            {
                // A period's groups may run over a page: the next page starts with the same period and the groups after the last one given.
                var groups = inPeriod
                    .GroupBy(l => string.Join('\u0000', grouping.KeysOf(l)))
                    .Where(g => after is not { } p || index != p.Period || string.CompareOrdinal(g.Key, p.Key) > 0)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToList();
                var taken = groups.Take(room).ToList();
                room -= Math.Max(1, taken.Count);
                result["Total"] = new JsonObject();
                result["Groups"] = new JsonArray([.. taken.Select(g => (JsonNode)new JsonObject
                {
                    ["Keys"] = new JsonArray([.. grouping.KeysOf(g.First()).Select(k => (JsonNode)JsonValue.Create(k)!)]),
                    ["Metrics"] = grouping.MetricsOf([.. g], Costs.Prices),
                })]);
                if (taken.Count < groups.Count)
                {
                    next = new ResultPosition(index, taken[^1].Key);
                }
            }

            result["Estimated"] = end > now;
            results.Add(result);
            if (next is not null)
            {
                break;
            }
        }

        var output = new JsonObject
        {
            ["GroupDefinitions"] = new JsonArray([.. grouping.Groups.Select(g => (JsonNode)new JsonObject { ["Type"] = g.Type, ["Key"] = g.Key })]),
            ["ResultsByTime"] = results,
            ["DimensionValueAttributes"] = await AccountAttributesAsync(grouping, lines, cancellationToken),
        };
        if (next is not null)
        {
            output["NextPageToken"] = CostPageToken.Issue(fingerprint, next.ToString());
        }

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

    /// <summary>Where a page ended: the result period's index and the last group given in it (null when the whole period was given).</summary>
    private sealed record ResultPosition(int Period, string? Key)
    {
        public override string ToString() => Key is null ? Period.ToString(CultureInfo.InvariantCulture) : Period.ToString(CultureInfo.InvariantCulture) + "/" + Key;

        public static ResultPosition? Parse(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var number = slash < 0 ? text : text[..slash];
            return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var period)
                ? new ResultPosition(period, slash < 0 ? null : text[(slash + 1)..])
                : throw CostExplorerErrors.InvalidNextToken.ToException("Invalid pagination token.");
        }
    }
}
