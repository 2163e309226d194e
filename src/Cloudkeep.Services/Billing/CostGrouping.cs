using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>A request's GroupBy (at most two: DIMENSION or TAG) and its Metrics, checked and applied to cost lines.</summary>
public sealed class CostGrouping
{
    public static readonly IReadOnlyList<string> MetricNames = ["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost", "UsageQuantity", "NormalizedUsageAmount"];

    private CostGrouping(IReadOnlyList<(string Type, string Key)> groups, IReadOnlyList<string> metrics)
    {
        Groups = groups;
        Metrics = metrics;
    }

    public IReadOnlyList<(string Type, string Key)> Groups { get; }

    public IReadOnlyList<string> Metrics { get; }

    public static CostGrouping Parse(JsonArray? groupBy, JsonArray? metrics, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var groups = new List<(string, string)>();
        foreach (var group in (groupBy ?? []).OfType<JsonObject>())
        {
            var type = group["Type"]?.GetValue<string>();
            var key = group["Key"]?.GetValue<string>();
            if (type == "DIMENSION" && (key is null || !CostFilter.Dimensions.Contains(key)))
            {
                problems.Add($"Group Definition dimension {key ?? "(none)"} is not allowed. Allowed value(s): {string.Join(", ", CostFilter.Dimensions)}");
            }
            else if (type == "TAG" && string.IsNullOrEmpty(key))
            {
                problems.Add("Group Definition of type TAG needs a tag key");
            }
            else if (type is not ("DIMENSION" or "TAG"))
            {
                problems.Add($"Group Definition type {type ?? "(none)"} is not allowed. Allowed value(s): DIMENSION, TAG");
            }

            groups.Add((type ?? "", key ?? ""));
        }

        if (groups.Count > 2)
        {
            problems.Add("Group Definition cannot have more than two elements");
        }

        if (groups.Distinct().Count() != groups.Count)
        {
            problems.Add("Group Definition cannot have duplicate elements");
        }

        var names = (metrics ?? []).Select(m => m?.GetValue<string>() ?? "").ToList();
        if (names.Count == 0)
        {
            problems.Add("Metrics must not be empty");
        }

        foreach (var name in names.Where(n => !MetricNames.Contains(n)))
        {
            problems.Add($"Metrics {name} is invalid. Valid values: {string.Join(", ", MetricNames)}");
        }

        return new CostGrouping(groups, [.. names.Distinct()]);
    }

    public IReadOnlyList<string> KeysOf(CostLine line) =>
        [.. Groups.Select(g => g.Type == "TAG" ? g.Key + "$" + line.Tags.GetValueOrDefault(g.Key, "") : line.Dimension(g.Key))];

    public JsonObject MetricsOf(IReadOnlyCollection<CostLine> lines, PriceList prices)
    {
        var output = new JsonObject();
        foreach (var metric in Metrics)
        {
            output[metric] = metric switch
            {
                "UsageQuantity" => Value((decimal)lines.Sum(l => l.Usage.Quantity), UnitOf(lines, prices)),
                "NormalizedUsageAmount" => Value(0, "N/A"),
                // No reservations, savings plans, credits or discounts exist here, so every cost metric is the unblended cost.
                _ => Value(lines.Sum(l => l.Cost), "USD"),
            };
        }

        return output;
    }

    private static string UnitOf(IReadOnlyCollection<CostLine> lines, PriceList prices)
    {
        var units = lines.Select(l => prices.Find(l.Usage.Service, l.Usage.UsageType)?.Unit ?? "N/A").Distinct().Take(2).ToList();
        return units.Count == 1 ? units[0] : "N/A";
    }

    private static JsonObject Value(decimal amount, string unit) => new() { ["Amount"] = CostExplorerOperation.Amount(amount), ["Unit"] = unit };
}
