using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Cost Explorer: a date range, DAILY or MONTHLY, one group by (a dimension or a tag key) and one
/// dimension filter, answered by ce:GetCostAndUsage run as the signed-in session, so the engine
/// decides and a refusal is its AccessDenied on the page. The answer is drawn as a stacked bar chart
/// (<see cref="CostChart"/>) with a table of the same UnblendedCost amounts, as the API wrote them.
/// The form's values go to the API as typed: a bad date is Cost Explorer's own ValidationException.
/// </summary>
internal sealed partial class ConsoleApp
{
    private static readonly string[] CostGroupings = ["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE", "REGION", "TAG"];

    private static readonly string[] CostFilterKeys = ["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE", "REGION"];

    private const string CostMetric = "UnblendedCost";

    private async Task CostsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var query = context.Request.Query;
        var today = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero);
        string Param(string name, string fallback, int max = 64) => query[name].ToString().Trim() is { Length: > 0 } value ? value[..Math.Min(value.Length, max)] : fallback;
        var start = Param("start", Day(new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero)), 32);
        var end = Param("end", Day(today.AddDays(1)), 32);
        var granularity = query["granularity"].ToString() == "MONTHLY" ? "MONTHLY" : "DAILY";
        var group = query.ContainsKey("group") ? query["group"].ToString() : "SERVICE";
        group = CostGroupings.Contains(group) ? group : "";
        var tagKey = Param("tag", "", 128);
        var filterKey = CostFilterKeys.Contains(query["filter"].ToString()) ? query["filter"].ToString() : "";
        var filterValues = Param("values", "", 1024).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var input = new JsonObject
        {
            ["TimePeriod"] = new JsonObject { ["Start"] = start, ["End"] = end },
            ["Granularity"] = granularity,
            ["Metrics"] = new JsonArray(CostMetric),
        };
        if (group.Length > 0)
        {
            input["GroupBy"] = new JsonArray(new JsonObject { ["Type"] = group == "TAG" ? "TAG" : "DIMENSION", ["Key"] = group == "TAG" ? tagKey : group });
        }

        if (filterKey.Length > 0 && filterValues.Length > 0)
        {
            input["Filter"] = new JsonObject { ["Dimensions"] = new JsonObject { ["Key"] = filterKey, ["Values"] = new JsonArray([.. filterValues.Select(v => (JsonNode)v)]) } };
        }

        var body = new Html().Raw("<h1>Cost Explorer</h1><p class=\"hint\">Unblended costs that account ").Text(CallerOf(session).AccountId)
            .Raw(" pays for (its own, and its organization's when it is the management account): metered usage times the server's price list. End dates are exclusive, as in the API.</p>");
        CostForm(body, start, end, granularity, group, tagKey, filterKey, string.Join(", ", filterValues));
        var (output, error) = await RunAsync(context, session, "ce", "GetCostAndUsage", input);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Cost Explorer", body, session);
            return;
        }

        CostResults(body, output!, group == "TAG" ? $"tag {tagKey}" : group, granularity);
        await RenderAsync(context, StatusCodes.Status200OK, "Cost Explorer", body, session);
    }

    private static void CostForm(Html body, string start, string end, string granularity, string group, string tagKey, string filterKey, string filterValues)
    {
        static void Options(Html body, IEnumerable<(string Value, string Label)> options, string selected)
        {
            foreach (var (value, label) in options)
            {
                body.Raw("<option value=\"").Text(value).Raw(value == selected ? "\" selected>" : "\">").Text(label).Raw("</option>");
            }
        }

        body.Raw("<form method=\"get\" action=\"/console/costs\" class=\"inline filters\" id=\"cost-filters\"><label>Start<input type=\"date\" name=\"start\" id=\"start\" value=\"").Text(start)
            .Raw("\"></label><label>End<input type=\"date\" name=\"end\" id=\"end\" value=\"").Text(end)
            .Raw("\"></label><label>Granularity<select name=\"granularity\" id=\"granularity\">");
        Options(body, [("DAILY", "Daily"), ("MONTHLY", "Monthly")], granularity);
        body.Raw("</select></label><label>Group by<select name=\"group\" id=\"group\">");
        Options(body, [("", "No grouping"), .. CostGroupings.Select(g => (g, g == "TAG" ? "Tag (key below)" : g))], group);
        body.Raw("</select></label><label>Tag key<input type=\"text\" name=\"tag\" id=\"tag\" size=\"12\" value=\"").Text(tagKey)
            .Raw("\"></label><label>Filter<select name=\"filter\" id=\"filter\">");
        Options(body, [("", "No filter"), .. CostFilterKeys.Select(k => (k, k))], filterKey);
        body.Raw("</select></label><label>is one of (comma-separated)<input type=\"text\" name=\"values\" id=\"values\" value=\"").Text(filterValues)
            .Raw("\"></label><button type=\"submit\" class=\"secondary\">Apply</button></form>");
    }

    private static void CostResults(Html body, JsonObject output, string groupedBy, string granularity)
    {
        var results = Items(output, "ResultsByTime").ToList();
        var periods = results.Select(r => Str(r["TimePeriod"]?["Start"])).ToList();
        var estimated = results.Select(r => r["Estimated"] is JsonValue e && e.TryGetValue<bool>(out var yes) && yes).ToList();
        var names = Items(output, "DimensionValueAttributes").ToDictionary(a => Str(a["Value"]), a => Str(a["Attributes"]?["description"]), StringComparer.Ordinal);
        var grouped = groupedBy.Length > 0;

        // Each row: the group's label and, per period, the amount as the API wrote it (null where the group had none).
        var rows = new Dictionary<string, (string Label, string?[] Amounts)>(StringComparer.Ordinal);
        var unit = "USD";
        for (var i = 0; i < results.Count; i++)
        {
            IEnumerable<(string Key, JsonNode? Metric)> cells = grouped
                ? Items(results[i], "Groups").Select(g => (string.Join(" / ", (g["Keys"] as JsonArray ?? []).Select(Str)), g["Metrics"]?[CostMetric]))
                : [("Total", results[i]["Total"]?[CostMetric])];
            foreach (var (key, metric) in cells)
            {
                if (!rows.TryGetValue(key, out var row))
                {
                    var label = names.TryGetValue(key, out var name) && name.Length > 0 && name != key ? $"{key} ({name})" : key;
                    rows[key] = row = (label, new string?[results.Count]);
                }

                row.Amounts[i] = Str(metric?["Amount"]);
                unit = Str(metric?["Unit"]) is { Length: > 0 } u ? u : unit;
            }
        }

        static decimal Parse(string? amount) => decimal.TryParse(amount, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var ordered = rows.Values.Select(r => (r.Label, r.Amounts, Total: r.Amounts.Sum(Parse)))
            .OrderByDescending(r => r.Total).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var series = CostChart.Fold([.. ordered.Select(r => new CostSeries(r.Label, [.. r.Amounts.Select(Parse)]))]);
        var title = grouped ? $"{CostMetric} by {groupedBy}, {granularity.ToLowerInvariant()}" : $"{CostMetric}, {granularity.ToLowerInvariant()}";
        body.Raw("<section class=\"card\"><h2>").Text(title).Raw("</h2>");
        if (ordered.All(r => r.Total == 0))
        {
            body.Notice("No costs in this range.");
        }

        body.Raw(CostChart.Render(title, periods, series, unit).ToString());
        if (grouped && groupedBy.StartsWith("tag ", StringComparison.Ordinal))
        {
            body.Raw("<p class=\"hint\">Tag groups are named key$value, as the API names them; key$ is the usage without that tag.</p>");
        }

        body.Raw("<div class=\"scroll\"><table id=\"costs\"><caption>").Text($"{CostMetric} ({unit}) per period").Raw("</caption><thead><tr><th scope=\"col\">")
            .Text(grouped ? groupedBy : "").Raw("</th>");
        for (var i = 0; i < periods.Count; i++)
        {
            body.Raw("<th scope=\"col\">").Text(periods[i]).Raw(estimated[i] ? "<span class=\"hint\"> (estimated)</span>" : "").Raw("</th>");
        }

        body.Raw("<th scope=\"col\">Total</th></tr></thead><tbody>");
        foreach (var (label, amounts, total) in ordered)
        {
            body.Raw("<tr><th scope=\"row\">").Text(label).Raw("</th>");
            foreach (var amount in amounts)
            {
                body.El("td", amount is null ? "—" : $"{amount} {unit}", "num");
            }

            body.El("td", $"{CostChart.Amount(total)} {unit}", "num").Raw("</tr>");
        }

        body.Raw("</tbody>");
        if (grouped && ordered.Count > 1)
        {
            body.Raw("<tfoot><tr><th scope=\"row\">Total</th>");
            for (var i = 0; i < periods.Count; i++)
            {
                body.El("td", $"{CostChart.Amount(ordered.Sum(r => Parse(r.Amounts[i])))} {unit}", "num");
            }

            body.El("td", $"{CostChart.Amount(ordered.Sum(r => r.Total))} {unit}", "num").Raw("</tr></tfoot>");
        }

        body.Raw("</table></div></section>");
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
