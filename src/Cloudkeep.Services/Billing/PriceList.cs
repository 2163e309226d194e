using System.Collections.Frozen;
using System.Text.Json;

namespace Cloudkeep.Services.Billing;

/// <summary>One usage type's price in one region; <see cref="Usd"/> is null where no published price was found.</summary>
public sealed record Price(string Service, string Region, string UsageType, string Unit, decimal? Usd, string? Description);

/// <summary>
/// The price list: USD per unit of each metered usage type, by region, with where the prices came
/// from and when. Cloudkeep ships one (<c>Billing/price-list.json</c>); an operator replaces it with
/// <c>--price-list</c>. Costs are usage times these prices and nothing else: an unpriced usage type costs 0.
/// </summary>
public sealed class PriceList
{
    private const string ResourceName = "Cloudkeep.Services.Billing.price-list.json";

    private readonly FrozenDictionary<(string Service, string UsageType), Price> _byUsageType;

    private PriceList(string source, string retrieved, IReadOnlyList<Price> prices)
    {
        Source = source;
        Retrieved = retrieved;
        Prices = prices;
        _byUsageType = prices.ToFrozenDictionary(p => (p.Service, UsageTypes.For(p.Region, p.UsageType)));
    }

    public string Source { get; }

    public string Retrieved { get; }

    public IReadOnlyList<Price> Prices { get; }

    /// <summary>The price of a full usage type name ("EU-Requests-Tier2") of a service, if the list has one.</summary>
    public Price? Find(string service, string usageType) => _byUsageType.GetValueOrDefault((service, usageType));

    /// <summary>USD per unit, 0 for usage the list does not price.</summary>
    public decimal UnitPrice(string service, string usageType) => Find(service, usageType)?.Usd ?? 0m;

    public static PriceList Embedded()
    {
        using var stream = typeof(PriceList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The price list is not embedded in Cloudkeep.Services.");
        return Parse(stream);
    }

    /// <summary>The operator's price list; every problem in it is reported together.</summary>
    public static PriceList Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream);
    }

    public static PriceList Parse(Stream json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new PriceListException([$"not JSON: {e.Message}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PriceListException(["the document is not a JSON object"]);
            }

            var source = Text(root, "source", "the document", problems);
            var retrieved = Text(root, "retrieved", "the document", problems);
            if (root.TryGetProperty("currency", out var currency) && currency.GetString() != "USD")
            {
                problems.Add("currency: only USD is supported");
            }

            var prices = new List<Price>();
            if (!root.TryGetProperty("prices", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add("prices: an array is required");
            }
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var where = $"prices[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        problems.Add(where + ": not an object");
                        continue;
                    }

                    var service = Text(item, "service", where, problems);
                    var region = Text(item, "region", where, problems);
                    var usageType = Text(item, "usageType", where, problems);
                    var unit = Text(item, "unit", where, problems);
                    decimal? usd = null;
                    if (item.TryGetProperty("usd", out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var parsed) || parsed < 0)
                        {
                            problems.Add(where + ".usd: a number of dollars, 0 or more, or null for unpriced");
                        }
                        else
                        {
                            usd = parsed;
                        }
                    }

                    var description = item.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    if (prices.Any(p => p.Service == service && p.Region == region && p.UsageType == usageType))
                    {
                        problems.Add($"{where}: {service} {region} {usageType} is priced twice");
                    }

                    prices.Add(new Price(service, region, usageType, unit, usd, description));
                }
            }

            if (problems.Count > 0)
            {
                throw new PriceListException(problems);
            }

            return new PriceList(source, retrieved, prices);
        }
    }

    private static string Text(JsonElement element, string name, string where, List<string> problems)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"{where}: \"{name}\" must be a non-empty string");
        return "";
    }
}

/// <summary>A price list that cannot be used, with every problem found in it.</summary>
public sealed class PriceListException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
