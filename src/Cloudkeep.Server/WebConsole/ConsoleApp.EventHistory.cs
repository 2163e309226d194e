using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// CloudTrail's event history, as AWS's console shows it: the management events of the last 90
/// days in one region of the account worked in, filtered by one lookup attribute and a time range,
/// 50 to a page (NextToken), and one event's record on its own page. Every read is cloudtrail:LookupEvents
/// run as the signed-in session, so the engine decides what the person may see.
/// </summary>
internal sealed partial class ConsoleApp
{
    /// <summary>LookupEvents' attribute keys, in the order AWS's console lists them.</summary>
    private static readonly string[] LookupKeys = ["EventName", "Username", "ResourceName", "ResourceType", "EventSource", "AccessKeyId", "ReadOnly", "EventId"];

    private const string TimeInput = "yyyy-MM-dd'T'HH:mm";

    private static string EventRegion(HttpContext context)
    {
        var region = context.Request.Query["region"].ToString();
        return region.Length > 0 && region.Length <= 32 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? region : ConsoleOperations.DefaultRegion;
    }

    private async Task EventHistoryPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var query = context.Request.Query;
        var region = EventRegion(context);
        var key = LookupKeys.Contains(query["key"].ToString()) ? query["key"].ToString() : "EventName";
        var value = query["value"].ToString().Trim();
        var start = TimeParameter(query["start"].ToString());
        var end = TimeParameter(query["end"].ToString());
        var token = query["token"].ToString();

        var input = new JsonObject { ["MaxResults"] = 50L };
        if (value.Length > 0)
        {
            input["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = key, ["AttributeValue"] = value });
        }

        if (start is { } from)
        {
            input["StartTime"] = JsonValue.Create(from);
        }

        if (end is { } to)
        {
            input["EndTime"] = JsonValue.Create(to);
        }

        if (token.Length > 0)
        {
            input["NextToken"] = token;
        }

        var (events, error) = await RunAsync(context, session, "cloudtrail", "LookupEvents", input, region);
        var body = new Html().Raw("<h1>Event history</h1><p class=\"hint\">Management events of the last 90 days in ").Text(region)
            .Raw(", for account ").Text(CallerOf(session).AccountId).Raw(".</p>");
        body.Raw("<form method=\"get\" action=\"/console/cloudtrail\" class=\"inline filters\" id=\"filters\"><label>Region<input type=\"text\" name=\"region\" size=\"12\" value=\"").Text(region)
            .Raw("\"></label><label>Lookup attribute<select name=\"key\" id=\"key\">");
        foreach (var option in LookupKeys)
        {
            body.Raw("<option value=\"").Text(option).Raw(option == key ? "\" selected>" : "\">").Text(option).Raw("</option>");
        }

        body.Raw("</select></label><label>Value<input type=\"text\" name=\"value\" id=\"value\" value=\"").Text(value)
            .Raw("\"></label><label>From (UTC)<input type=\"datetime-local\" name=\"start\" id=\"start\" value=\"").Text(start?.UtcDateTime.ToString(TimeInput, CultureInfo.InvariantCulture))
            .Raw("\"></label><label>To (UTC)<input type=\"datetime-local\" name=\"end\" id=\"end\" value=\"").Text(end?.UtcDateTime.ToString(TimeInput, CultureInfo.InvariantCulture))
            .Raw("\"></label><button type=\"submit\" class=\"secondary\">Look up</button></form>");
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Event history", body, session);
            return;
        }

        body.Raw("<table id=\"events\"><thead><tr><th>Event name</th><th>Event time</th><th>User name</th><th>Event source</th><th>Resource type</th><th>Resource name</th></tr></thead><tbody>");
        var list = Items(events, "Events").ToList();
        foreach (var e in list)
        {
            var resources = Items(e, "Resources").ToList();
            body.Raw("<tr><td>").Link($"/console/cloudtrail/event?region={Q(region)}&id={Q(Str(e["EventId"]))}", Str(e["EventName"])).Raw("</td>")
                .El("td", Date(e["EventTime"])).El("td", Str(e["Username"])).El("td", Str(e["EventSource"]))
                .El("td", string.Join(", ", resources.Select(r => Str(r["ResourceType"])).Where(t => t.Length > 0).Distinct()))
                .El("td", string.Join(", ", resources.Select(r => Str(r["ResourceName"])).Where(n => n.Length > 0)), "mono").Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        if (list.Count == 0)
        {
            body.Notice("No events match.");
        }

        // Paging as the API pages: forward by NextToken, and back to the first page.
        var filters = $"region={Q(region)}&key={Q(key)}&value={Q(value)}&start={Q(start?.UtcDateTime.ToString(TimeInput, CultureInfo.InvariantCulture) ?? "")}&end={Q(end?.UtcDateTime.ToString(TimeInput, CultureInfo.InvariantCulture) ?? "")}";
        body.Raw("<p class=\"actions\" id=\"paging\">");
        if (token.Length > 0)
        {
            body.Link("/console/cloudtrail?" + filters, "First page", "button").Raw(" ");
        }

        if (Str(events?["NextToken"]) is { Length: > 0 } next)
        {
            body.Link($"/console/cloudtrail?{filters}&token={Q(next)}", "Next page", "button");
        }

        body.Raw("</p>");
        await RenderAsync(context, StatusCodes.Status200OK, "Event history", body, session);
    }

    private async Task EventPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = EventRegion(context);
        var id = context.Request.Query["id"].ToString();
        var (events, error) = await RunAsync(context, session, "cloudtrail", "LookupEvents",
            new JsonObject { ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "EventId", ["AttributeValue"] = id }) }, region);
        if (error is not null)
        {
            await RenderErrorAsync(context, session, "Event", error);
            return;
        }

        var body = new Html().Raw("<p class=\"crumbs\">").Link("/console/cloudtrail?region=" + Q(region), "Event history").Raw("</p>");
        if (Items(events, "Events").FirstOrDefault() is not { } e)
        {
            body.Raw("<h1>Event</h1>").Error($"No event {id} in {region} in the last 90 days.");
            await RenderAsync(context, StatusCodes.Status404NotFound, "Event", body, session);
            return;
        }

        var record = Str(e["CloudTrailEvent"]);
        body.Raw("<h1>").Text(Str(e["EventName"])).Raw("</h1><section class=\"card\"><h2>Details</h2><dl class=\"facts\" id=\"event\">")
            .Raw("<dt>Event time</dt>").El("dd", Date(e["EventTime"]))
            .Raw("<dt>User name</dt>").El("dd", Str(e["Username"]))
            .Raw("<dt>Event source</dt>").El("dd", Str(e["EventSource"]))
            .Raw("<dt>Access key</dt>").El("dd", Str(e["AccessKeyId"]), "mono")
            .Raw("<dt>Read-only</dt>").El("dd", Str(e["ReadOnly"]))
            .Raw("<dt>Event ID</dt>").El("dd", Str(e["EventId"]), "mono");
        if (JsonNode.Parse(record.Length > 0 ? record : "{}") is JsonObject parsed)
        {
            body.Raw("<dt>Source IP address</dt>").El("dd", Str(parsed["sourceIPAddress"]))
                .Raw("<dt>Error code</dt>").El("dd", Str(parsed["errorCode"]) is { Length: > 0 } code ? code : "—");
        }

        body.Raw("</dl></section><section class=\"card\"><h2>Event record</h2><pre id=\"record\">").Text(IndentedRecord(record)).Raw("</pre></section>");
        await RenderAsync(context, StatusCodes.Status200OK, Str(e["EventName"]), body, session);
    }

    /// <summary>A datetime-local value (UTC, minutes) as a time; null when empty or not one.</summary>
    private static DateTimeOffset? TimeParameter(string text) =>
        DateTime.TryParseExact(text, [TimeInput, TimeInput + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    private static string IndentedRecord(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(parsed.RootElement, IndentedJson);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
