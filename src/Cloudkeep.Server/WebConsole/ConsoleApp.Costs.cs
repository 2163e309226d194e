using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Cost Explorer: a date range, DAILY or MONTHLY, up to two group-bys (a dimension or a tag key; two
/// is the API's maximum) and up to three filters (a dimension or a tag, each "is one of" its values)
/// combined with And as the API's Filter expression, answered by ce:GetCostAndUsage run as the
/// signed-in session, so the engine decides and a refusal is its AccessDenied on the page. Every
/// page of the answer is read (NextPageToken) and a period split over two pages joined again. The
/// answer is drawn as a stacked bar chart (<see cref="CostChart"/>) with a table of the same
/// UnblendedCost amounts, as the API wrote them. The form's values go to the API as typed: a bad
/// date is Cost Explorer's own ValidationException.
/// </summary>
internal sealed partial class ConsoleApp
{
    private static readonly string[] CostGroupings = ["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE", "REGION", "TAG"];

    private static readonly string[] CostFilterKeys = ["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE", "REGION", "TAG"];

    /// <summary>The form's filter rows: the first keeps the names the page had before it had more than one.</summary>
    private static readonly (string Key, string Values, string Tag)[] CostFilterRows = [("filter", "values", "ftag"), ("filter2", "values2", "ftag2"), ("filter3", "values3", "ftag3")];

    /// <summary>Pages of one answer the console reads at most (a 1,000-group page each).</summary>
    private const int CostPagesRead = 50;

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
        var group2 = CostGroupings.Contains(query["group2"].ToString()) ? query["group2"].ToString() : "";
        var tagKey2 = Param("tag2", "", 128);
        var filters = CostFilterRows.Select(r => new CostFilterRow(
                CostFilterKeys.Contains(query[r.Key].ToString()) ? query[r.Key].ToString() : "",
                Param(r.Tag, "", 128),
                Param(r.Values, "", 1024).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();

        var input = new JsonObject
        {
            ["TimePeriod"] = new JsonObject { ["Start"] = start, ["End"] = end },
            ["Granularity"] = granularity,
            ["Metrics"] = new JsonArray(CostMetric),
        };
        var groups = new[] { (group, tagKey), (group2, tagKey2) }.Where(g => g.Item1.Length > 0).ToList();
        if (groups.Count > 0)
        {
            input["GroupBy"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["Type"] = g.Item1 == "TAG" ? "TAG" : "DIMENSION", ["Key"] = g.Item1 == "TAG" ? g.Item2 : g.Item1 })]);
        }

        var expressions = filters.Where(f => f.Dimension.Length > 0 && f.OneOf.Length > 0).Select(f => f.Expression()).ToList();
        if (expressions.Count > 0)
        {
            // The API's Expression has one root: several filters are the operands of an And.
            input["Filter"] = expressions.Count == 1 ? expressions[0] : new JsonObject { ["And"] = new JsonArray([.. expressions]) };
        }

        var body = new Html().Raw("<h1>Cost Explorer</h1><p class=\"hint\">Unblended costs that account ").Text(CallerOf(session).AccountId)
            .Raw(" pays for (its own, and its organization's when it is the management account): metered usage times the server's price list. End dates are exclusive, as in the API.</p>");
        CostForm(body, start, end, granularity, [(group, tagKey), (group2, tagKey2)], filters);
        var (output, error) = await CostPagesAsync(context, session, input);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Cost Explorer", body, session);
            return;
        }

        CostResults(body, output!, string.Join(" and ", groups.Select(g => g.Item1 == "TAG" ? $"tag {g.Item2}" : g.Item1)), granularity);
        await RenderAsync(context, StatusCodes.Status200OK, "Cost Explorer", body, session);
    }

    /// <summary>GetCostAndUsage's every page, as one answer: a period the API split over two pages has its groups joined.</summary>
    private async Task<(JsonObject? Output, AwsException? Error)> CostPagesAsync(HttpContext context, ConsoleSession session, JsonObject input)
    {
        JsonObject? merged = null;
        for (var page = 0; page < CostPagesRead; page++)
        {
            var (output, error) = await RunAsync(context, session, "ce", "GetCostAndUsage", input);
            if (error is not null)
            {
                return (null, error);
            }

            if (merged is null)
            {
                merged = output!;
            }
            else
            {
                var results = (JsonArray)merged["ResultsByTime"]!;
                foreach (var result in Items(output!, "ResultsByTime").Select(r => r.DeepClone().AsObject()))
                {
                    if (results.Count > 0 && results[^1] is JsonObject last && Str(last["TimePeriod"]?["Start"]) == Str(result["TimePeriod"]?["Start"]) && last["Groups"] is JsonArray joined)
                    {
                        foreach (var item in Items(result, "Groups"))
                        {
                            joined.Add(item.DeepClone());
                        }
                    }
                    else
                    {
                        results.Add(result);
                    }
                }

                var attributes = (JsonArray)merged["DimensionValueAttributes"]!;
                foreach (var attribute in Items(output!, "DimensionValueAttributes").Where(a => !Items(merged, "DimensionValueAttributes").Any(b => Str(b["Value"]) == Str(a["Value"]))))
                {
                    attributes.Add(attribute.DeepClone());
                }
            }

            if (Str(output!["NextPageToken"]) is not { Length: > 0 } token)
            {
                break;
            }

            input["NextPageToken"] = token;
        }

        return (merged, null);
    }

    /// <summary>One filter row of the form: a dimension (or a tag key) and the values it is one of.</summary>
    private sealed record CostFilterRow(string Dimension, string TagKey, string[] OneOf)
    {
        public JsonObject Expression() => Dimension == "TAG"
            ? new JsonObject { ["Tags"] = new JsonObject { ["Key"] = TagKey, ["Values"] = new JsonArray([.. OneOf.Select(v => (JsonNode)v)]) } }
            : new JsonObject { ["Dimensions"] = new JsonObject { ["Key"] = Dimension, ["Values"] = new JsonArray([.. OneOf.Select(v => (JsonNode)v)]) } };
    }

    private static void CostForm(Html body, string start, string end, string granularity, (string Group, string TagKey)[] groups, IReadOnlyList<CostFilterRow> filters)
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
        body.Raw("</select></label>");
        for (var i = 0; i < groups.Length; i++)
        {
            var suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            body.Raw("<label>").Text(i == 0 ? "Group by" : "then by").Raw("<select name=\"group").Raw(suffix).Raw("\" id=\"group").Raw(suffix).Raw("\">");
            Options(body, [("", "No grouping"), .. CostGroupings.Select(g => (g, g == "TAG" ? "Tag (key beside)" : g))], groups[i].Group);
            body.Raw("</select></label><label>Tag key<input type=\"text\" name=\"tag").Raw(suffix).Raw("\" id=\"tag").Raw(suffix).Raw("\" size=\"12\" value=\"").Text(groups[i].TagKey).Raw("\"></label>");
        }

        body.Raw("<fieldset><legend>Filters (all must match)</legend>");
        for (var i = 0; i < CostFilterRows.Length; i++)
        {
            var (key, values, tag) = CostFilterRows[i];
            body.Raw("<label>Filter<select name=\"").Raw(key).Raw("\" id=\"").Raw(key).Raw("\">");
            Options(body, [("", "No filter"), .. CostFilterKeys.Select(k => (k, k == "TAG" ? "Tag (key beside)" : k))], filters[i].Dimension);
            body.Raw("</select></label><label>Tag key<input type=\"text\" name=\"").Raw(tag).Raw("\" id=\"").Raw(tag).Raw("\" size=\"10\" value=\"").Text(filters[i].TagKey)
                .Raw("\"></label><label>is one of (comma-separated)<input type=\"text\" name=\"").Raw(values).Raw("\" id=\"").Raw(values).Raw("\" value=\"")
                .Text(string.Join(", ", filters[i].OneOf)).Raw("\"></label>");
        }

        body.Raw("</fieldset><button type=\"submit\" class=\"secondary\">Apply</button></form>");
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
