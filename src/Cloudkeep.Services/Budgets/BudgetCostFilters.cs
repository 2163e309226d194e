using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Billing;

namespace Cloudkeep.Services.Budgets;

/// <summary>
/// A budget's CostFilters: a map from a filter name to the values it keeps, every name applying
/// (values of one name are alternatives), as AWS Budgets applies them. Served: Service (the SERVICE
/// names Cost Explorer shows), Region, LinkedAccount, UsageType (full usage type names, region
/// code included) and UsageTypeGroup (the groups below); other filters (TagKeyValue, AZ,
/// Operation, CostCategory, ...) answer NotImplemented.
/// </summary>
public static class BudgetCostFilters
{
    public static readonly IReadOnlyList<string> Served = ["Service", "Region", "LinkedAccount", "UsageType", "UsageTypeGroup"];

    /// <summary>
    /// The usage type groups of Cost Explorer and Budgets that Cloudkeep's metered usage falls in,
    /// each with its service and usage types (without the region code). Only groups whose usage all
    /// shares one unit, as a USAGE budget needs.
    /// </summary>
    public static readonly FrozenDictionary<string, (string Service, string[] UsageTypes)> UsageTypeGroups =
        new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
        {
            ["S3: Storage - Standard"] = (UsageTypes.S3, [UsageTypes.S3Storage("STANDARD")]),
            ["S3: Storage - Standard Infrequent Access"] = (UsageTypes.S3, [UsageTypes.S3Storage("STANDARD_IA")]),
            ["S3: API Requests - Standard"] = (UsageTypes.S3, [UsageTypes.S3Tier1, UsageTypes.S3Tier2]),
            ["S3: Data Transfer - Internet (Out)"] = (UsageTypes.S3, [UsageTypes.DataTransferOut]),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The filters of a Budget structure, checked; null when it has none.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>>? Parse(JsonObject? filters, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (filters is not { Count: > 0 })
        {
            return null;
        }

        var parsed = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, node) in filters)
        {
            if (!Served.Contains(name))
            {
                throw CommonErrors.NotImplemented.ToException($"Cloudkeep does not serve the {name} cost filter; it serves {string.Join(", ", Served)}.");
            }

            var values = (node as JsonArray ?? []).Select(v => (v as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null).OfType<string>().ToList();
            if (values.Count == 0)
            {
                problems.Add($"The {name} cost filter must have values.");
            }

            if (name == "UsageTypeGroup")
            {
                foreach (var unknown in values.Where(v => !UsageTypeGroups.ContainsKey(v)))
                {
                    problems.Add($"The usage type group {unknown} is not one Cloudkeep meters: {string.Join(", ", UsageTypeGroups.Keys.Order(StringComparer.Ordinal))}.");
                }
            }

            parsed[name] = values;
        }

        return parsed;
    }

    public static JsonObject Output(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var output = new JsonObject();
        foreach (var (name, values) in filters)
        {
            output[name] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
        }

        return output;
    }

    /// <summary>Whether a cost line passes every filter of the budget (a budget without filters keeps everything).</summary>
    public static bool Matches(IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, CostLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (filters is null)
        {
            return true;
        }

        var usage = line.Usage;
        foreach (var (name, values) in filters)
        {
            var kept = name switch
            {
                "Service" => values.Contains(usage.Service),
                "Region" => values.Contains(usage.Region),
                "LinkedAccount" => values.Contains(usage.AccountId),
                "UsageType" => values.Contains(usage.UsageType),
                "UsageTypeGroup" => values.Any(g => InGroup(g, usage)),
                _ => false,
            };
            if (!kept)
            {
                return false;
            }
        }

        return true;
    }

    private static bool InGroup(string group, Storage.Metadata.UsageRecord usage)
    {
        if (!UsageTypeGroups.TryGetValue(group, out var members) || members.Service != usage.Service)
        {
            return false;
        }

        var prefix = UsageTypes.Prefix(usage.Region);
        var type = usage.UsageType.StartsWith(prefix, StringComparison.Ordinal) ? usage.UsageType[prefix.Length..] : usage.UsageType;
        return members.UsageTypes.Contains(type);
    }
}
