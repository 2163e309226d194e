using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// CloudWatch alarms of one region of the account worked in: each alarm's state, metric, condition
/// and last state change; one alarm's details with its history, switching its actions on or off,
/// and setting its state by hand to test its actions (the next evaluation sets what the data says).
/// Each is the CloudWatch operation run as the signed-in session (cloudwatch:DescribeAlarms, ...).
/// </summary>
internal sealed partial class ConsoleApp
{
    private static readonly string[] AlarmStateValues = ["OK", "ALARM", "INSUFFICIENT_DATA"];

    private static string AlarmRegion(HttpContext context, IFormCollection? form)
    {
        var region = form?["region"].ToString() is { Length: > 0 } posted ? posted : context.Request.Query["region"].ToString();
        return region.Length is > 0 and <= 32 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? region : ConsoleOperations.DefaultRegion;
    }

    private async Task AlarmsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = AlarmRegion(context, null);
        var state = AlarmStateValues.Contains(context.Request.Query["state"].ToString()) ? context.Request.Query["state"].ToString() : "";
        var token = context.Request.Query["token"].ToString();
        var input = new JsonObject { ["MaxRecords"] = 100L };
        if (state.Length > 0)
        {
            input["StateValue"] = state;
        }

        if (token.Length > 0)
        {
            input["NextToken"] = token;
        }

        var body = new Html().Raw("<h1>Alarms</h1><p class=\"hint\">CloudWatch metric alarms in ").Text(region).Raw(" of account ").Text(CallerOf(session).AccountId)
            .Raw(". Billing alarms (AWS/Billing EstimatedCharges) live in us-east-1.</p>")
            .Raw("<form method=\"get\" action=\"/console/alarms\" class=\"inline filters\" id=\"alarm-filters\"><label>Region<input type=\"text\" name=\"region\" size=\"12\" value=\"").Text(region)
            .Raw("\"></label><label>State<select name=\"state\" id=\"state\"><option value=\"\">Any</option>");
        foreach (var value in AlarmStateValues)
        {
            body.Raw("<option value=\"").Text(value).Raw(value == state ? "\" selected>" : "\">").Text(value).Raw("</option>");
        }

        body.Raw("</select></label><button type=\"submit\" class=\"secondary\">Show</button></form>");
        var (alarms, error) = await RunAsync(context, session, "monitoring", "DescribeAlarms", input, region);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Alarms", body, session);
            return;
        }

        var list = Items(alarms, "MetricAlarms").ToList();
        body.Raw("<table id=\"alarms\"><thead><tr><th>Name</th><th>State</th><th>Metric</th><th>Condition</th><th>Actions</th><th>Last state change</th></tr></thead><tbody>");
        foreach (var alarm in list)
        {
            var name = Str(alarm["AlarmName"]);
            body.Raw("<tr><td>").Link($"/console/alarm?region={Q(region)}&name={Q(name)}", name).Raw("</td><td>").Raw(AlarmState(Str(alarm["StateValue"]))).Raw("</td>")
                .El("td", Metric(alarm), "mono").El("td", Condition(alarm)).El("td", Enabled(alarm) ? "enabled" : "disabled").El("td", Date(alarm["StateUpdatedTimestamp"])).Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        if (list.Count == 0)
        {
            body.Notice("No alarms match.");
        }

        if (Str(alarms?["NextToken"]) is { Length: > 0 } next)
        {
            body.Raw("<p class=\"actions\" id=\"paging\">").Link($"/console/alarms?region={Q(region)}&state={Q(state)}&token={Q(next)}", "Next page", "button").Raw("</p>");
        }

        await RenderAsync(context, StatusCodes.Status200OK, "Alarms", body, session);
    }

    private Task AlarmPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        AlarmAsync(context, session, AlarmRegion(context, null), context.Request.Query["name"].ToString(), null, null);

    private async Task AlarmAsync(HttpContext context, ConsoleSession session, string region, string name, AwsException? actionError, string? notice)
    {
        var (described, error) = await RunAsync(context, session, "monitoring", "DescribeAlarms", new JsonObject { ["AlarmNames"] = new JsonArray(name) }, region);
        if (error is not null)
        {
            await RenderErrorAsync(context, session, name, error);
            return;
        }

        if (Items(described, "MetricAlarms").FirstOrDefault() is not { } alarm)
        {
            await RenderAsync(context, StatusCodes.Status404NotFound, name, new Html().Raw("<h1>").Text(name).Raw("</h1>").Error($"There is no alarm {name} in {region}."), session);
            return;
        }

        var token = Token(context);
        var enabled = Enabled(alarm);
        var body = new Html().Raw("<h1>").Text(name).Raw("</h1><p class=\"crumbs\">").Link("/console/alarms?region=" + Q(region), "Alarms").Raw("</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        body.Raw("<dl class=\"facts\" id=\"alarm\"><dt>State</dt><dd>").Raw(AlarmState(Str(alarm["StateValue"]))).Raw("</dd><dt>Reason</dt>").El("dd", Str(alarm["StateReason"]))
            .Raw("<dt>Last state change</dt>").El("dd", Date(alarm["StateUpdatedTimestamp"])).Raw("<dt>Metric</dt>").El("dd", Metric(alarm), "mono")
            .Raw("<dt>Condition</dt>").El("dd", Condition(alarm)).Raw("<dt>Actions</dt>").El("dd", enabled ? "enabled" : "disabled")
            .Raw("<dt>Alarm actions</dt>").El("dd", OrDash(string.Join(", ", (alarm["AlarmActions"] as JsonArray ?? []).Select(Str))), "mono")
            .Raw("<dt>OK actions</dt>").El("dd", OrDash(string.Join(", ", (alarm["OKActions"] as JsonArray ?? []).Select(Str))), "mono")
            .Raw("<dt>Description</dt>").El("dd", OrDash(Str(alarm["AlarmDescription"]))).Raw("</dl><p class=\"actions\">")
            .FormStart("/console/alarm/actions", token, "inline").Hidden("region", region).Hidden("name", name).Hidden("enable", enabled ? "false" : "true")
            .Button(enabled ? "Disable actions" : "Enable actions", cssClass: "secondary").FormEnd().Raw("</p>");

        body.Raw("<section class=\"card\" id=\"set-state\"><h2>Set state for testing</h2><p class=\"hint\">Runs the new state's actions now; the next evaluation sets the state the data says.</p>")
            .FormStart("/console/alarm/state", token, "inline").Hidden("region", region).Hidden("name", name).Raw("<label>State<select name=\"state\" id=\"new-state\">");
        foreach (var value in AlarmStateValues)
        {
            body.Raw("<option value=\"").Text(value).Raw("\">").Text(value).Raw("</option>");
        }

        body.Raw("</select></label><label>Reason<input type=\"text\" name=\"reason\" id=\"reason\" value=\"Set from the console\"></label>").Button("Set state", cssClass: "secondary").FormEnd().Raw("</section>");

        body.Raw("<section class=\"card\"><h2>History</h2>");
        var (history, historyError) = await RunAsync(context, session, "monitoring", "DescribeAlarmHistory", new JsonObject { ["AlarmName"] = name, ["MaxRecords"] = 50L }, region);
        if (historyError is not null)
        {
            body.Raw(ErrorBlock(historyError).ToString());
        }
        else
        {
            body.Raw("<table id=\"history\"><thead><tr><th>Time</th><th>Type</th><th>Summary</th></tr></thead><tbody>");
            foreach (var item in Items(history, "AlarmHistoryItems"))
            {
                body.Raw("<tr>").El("td", Date(item["Timestamp"])).El("td", Str(item["HistoryItemType"])).El("td", Str(item["HistorySummary"])).Raw("</tr>");
            }

            body.Raw("</tbody></table><p class=\"hint\">The newest 50 items of the last 30 days.</p>");
        }

        body.Raw("</section>");
        var status = actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, status, name, body, session);
    }

    private async Task AlarmActionsPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = AlarmRegion(context, form);
        var name = form!["name"].ToString();
        var enable = form["enable"].ToString() == "true";
        var (_, error) = await RunAsync(context, session, "monitoring", enable ? "EnableAlarmActions" : "DisableAlarmActions", new JsonObject { ["AlarmNames"] = new JsonArray(name) }, region);
        await AlarmAsync(context, session, region, name, error, error is null ? (enable ? "Actions enabled." : "Actions disabled.") : null);
    }

    private async Task AlarmStatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = AlarmRegion(context, form);
        var name = form!["name"].ToString();
        var input = new JsonObject { ["AlarmName"] = name, ["StateValue"] = form["state"].ToString(), ["StateReason"] = form["reason"].ToString() };
        var (_, error) = await RunAsync(context, session, "monitoring", "SetAlarmState", input, region);
        await AlarmAsync(context, session, region, name, error, error is null ? $"State set to {form["state"]}." : null);
    }

    private static double? Number(JsonNode? node) =>
        node is not JsonValue value ? null
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : null;

    private static string OrDash(string text) => text.Length > 0 ? text : "—";

    private static bool Enabled(JsonObject alarm) => alarm["ActionsEnabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    /// <summary>A state as a labelled badge (the word stays: colour is never the only sign).</summary>
    private static string AlarmState(string state) =>
        new Html().El("span", state, "state state-" + state.ToLowerInvariant().Replace('_', '-')).ToString();

    /// <summary>Namespace/MetricName {dimensions}, or "metric math" for an alarm on a metrics expression.</summary>
    private static string Metric(JsonObject alarm)
    {
        if (Str(alarm["MetricName"]) is not { Length: > 0 } metric)
        {
            return "metric math (" + (alarm["Metrics"] as JsonArray ?? []).Count + " queries)";
        }

        var dimensions = (alarm["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => $"{Str(d["Name"])}={Str(d["Value"])}").ToList();
        return $"{Str(alarm["Namespace"])}/{metric}" + (dimensions.Count > 0 ? " {" + string.Join(", ", dimensions) + "}" : "");
    }

    /// <summary>"Maximum > 100 for 1 datapoint(s) of 6 hours", as the alarm's definition reads.</summary>
    private static string Condition(JsonObject alarm)
    {
        var statistic = Str(alarm["Statistic"]) is { Length: > 0 } s ? s : Str(alarm["ExtendedStatistic"]);
        var comparison = Str(alarm["ComparisonOperator"]) switch
        {
            "GreaterThanOrEqualToThreshold" => ">=",
            "GreaterThanThreshold" => ">",
            "LessThanThreshold" => "<",
            "LessThanOrEqualToThreshold" => "<=",
            var other => other,
        };
        var threshold = Number(alarm["Threshold"]) is { } number ? number.ToString("0.####", CultureInfo.InvariantCulture) : Str(alarm["ThresholdMetricId"]);
        var periods = Number(alarm["EvaluationPeriods"]) ?? 1;
        var datapoints = Number(alarm["DatapointsToAlarm"]) ?? periods;
        var period = Number(alarm["Period"]) is { } seconds ? Every(TimeSpan.FromSeconds(seconds)) : "";
        return $"{statistic} {comparison} {threshold} for {datapoints} of {periods} period(s)" + (period.Length > 0 ? $" of {period}" : "");
    }
}
