using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Cloudkeep's own security pages for the account worked in: the alerts raised for it and how their
/// delivery went, with the rules in force; and the security watch's latest findings. No AWS
/// operation stands behind them, so each asks the one policy engine for a Cloudkeep action of its
/// own (cloudkeep:ListAlerts, cloudkeep:ListFindings on the account's alert/* or finding/*), which
/// an administrator's "*" allows and anyone else must be granted.
/// </summary>
internal sealed partial class ConsoleApp
{
    public const string ListAlertsAction = "cloudkeep:ListAlerts";
    public const string ListFindingsAction = "cloudkeep:ListFindings";

    /// <summary>How many outbox rows (all accounts) the alerts page reads to find the account's recent alerts.</summary>
    private const int RecentOutboxRows = 1000;

    private async Task AlertsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var caller = CallerOf(session);
        if (await operations.AuthorizeAsync(context, caller, ListAlertsAction, $"arn:aws:cloudkeep::{caller.AccountId}:alert/*") is { } denied)
        {
            await RenderErrorAsync(context, session, "Alerts", denied);
            return;
        }

        var services = context.RequestServices;
        var rows = await services.GetRequiredService<AlertOutboxRepository>().RecentAsync(RecentOutboxRows, context.RequestAborted);
        var alerts = rows.Select(r => (Row: r, Alert: JsonNode.Parse(r.Alert) as JsonObject))
            .Where(a => a.Alert is not null && Str(a.Alert["account"]) == caller.AccountId)
            .GroupBy(a => a.Row.AlertId)
            .Take(50)
            .ToList();
        var body = new Html().Raw("<h1>Alerts</h1><p class=\"hint\">Alerts raised for account ").Text(caller.AccountId)
            .Raw(" (the newest 50), one delivery per sink: e-mail, and each webhook.</p><table id=\"alerts\"><thead><tr><th>Raised</th><th>Severity</th><th>Alert</th><th>Rule</th><th>Delivery</th></tr></thead><tbody>");
        foreach (var alert in alerts)
        {
            var document = alert.First().Alert!;
            var delivery = string.Join("; ", alert.Select(a => a.Row).OrderBy(r => r.Sink, StringComparer.Ordinal).Select(Delivery));
            body.Raw("<tr>").El("td", DateTimeOffset.TryParse(Str(document["raisedAt"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var raised) ? Time(raised.ToUnixTimeMilliseconds()) : "—").Raw("<td>").Raw(Severity(Str(document["severity"]))).Raw("</td><td>").Text(Str(document["title"]))
                .Raw("<div class=\"hint\">").Text(Str(document["description"])).Raw("</div></td>").El("td", Str(document["rule"]), "mono").El("td", delivery).Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        if (alerts.Count == 0)
        {
            body.Notice("No alert has been raised for this account.");
        }

        var engine = services.GetRequiredService<AlertEngine>();
        var interval = services.GetRequiredService<CloudkeepOptions>().Watch.Interval;
        body.Raw("<section class=\"card\"><h2>Rules in force</h2><table id=\"rules\"><thead><tr><th>Rule</th><th>Severity</th><th>Source</th><th>What it means</th></tr></thead><tbody>");
        foreach (var rule in engine.Rules)
        {
            body.Raw("<tr>").El("td", rule.Name, "mono").Raw("<td>").Raw(Severity(rule.Severity.ToString())).Raw("</td>").El("td", rule.BuiltIn ? "built in" : "operator's rules file")
                .Raw("<td>").Text(rule.Title).Raw("<div class=\"hint\">").Text(rule.Description).Raw("</div></td></tr>");
        }

        body.Raw("<tr>").El("td", Watch.SecurityWatch.RulePrefix + "CHECK", "mono").Raw("<td>").Raw(Severity("High")).Text(" or ").Raw(Severity("Critical")).Raw("</td>").El("td", "built in")
            .Raw("<td>").Text("A new high or critical finding of the security watch").Raw("<div class=\"hint\">")
            .Text(interval > TimeSpan.Zero ? $"The watch checks every account every {Every(interval)}; see Findings." : "The security watch is off on this server (--watch-interval 0).")
            .Raw("</div></td></tr></tbody></table></section>");
        await RenderAsync(context, StatusCodes.Status200OK, "Alerts", body, session);
    }

    private async Task FindingsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var caller = CallerOf(session);
        if (await operations.AuthorizeAsync(context, caller, ListFindingsAction, $"arn:aws:cloudkeep::{caller.AccountId}:finding/*") is { } denied)
        {
            await RenderErrorAsync(context, session, "Findings", denied);
            return;
        }

        var services = context.RequestServices;
        var store = services.GetRequiredService<WatchFindingsRepository>();
        var account = await store.AccountAsync(caller.AccountId, context.RequestAborted);
        var interval = services.GetRequiredService<CloudkeepOptions>().Watch.Interval;
        var body = new Html().Raw("<h1>Findings</h1><p class=\"hint\">The security watch's latest findings for account ").Text(caller.AccountId)
            .Raw(": the checks of <code>cloudkeep watch</code>, run ").Text(interval > TimeSpan.Zero ? $"every {Every(interval)}" : "only by the command (the job is off on this server)").Raw(".</p>");
        if (account is null)
        {
            body.Notice("The security watch has not looked at this account yet.");
            await RenderAsync(context, StatusCodes.Status200OK, "Findings", body, session);
            return;
        }

        body.Raw("<p id=\"checked\">Checked ").Text(Time(account.CheckedMs));
        if (account.ReadMs is { } read && read != account.CheckedMs)
        {
            body.Text("; these findings are from " + Time(read));
        }

        body.Raw("</p>");
        if (account.Error is { } problem)
        {
            body.Error("The last check could not read this account: " + problem);
        }

        var findings = (await store.FindingsAsync(caller.AccountId, context.RequestAborted))
            .OrderByDescending(f => Enum.TryParse<Checks.Severity>(f.Severity, out var s) ? s : Checks.Severity.Low).ThenBy(f => f.CheckId, StringComparer.Ordinal).ToList();
        var counts = findings.GroupBy(f => f.Severity).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}");
        body.Raw("<p id=\"summary\">").Text(findings.Count == 0 ? "No findings." : $"{findings.Count} finding(s): {string.Join(", ", counts)}.").Raw("</p>");
        body.Raw("<table id=\"findings\"><thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Why</th><th>How to fix</th><th>Since</th></tr></thead><tbody>");
        foreach (var finding in findings)
        {
            body.Raw("<tr><td>").Raw(Severity(finding.Severity)).Raw("</td>").El("td", finding.CheckId, "mono").El("td", finding.Resource, "mono")
                .El("td", finding.Why).El("td", finding.Fix).El("td", Time(finding.FirstSeenMs)).Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        await RenderAsync(context, StatusCodes.Status200OK, "Findings", body, session);
    }

    /// <summary>A severity as a coloured label (the words stay: colour is never the only sign).</summary>
    private static string Severity(string severity) =>
        new Html().El("span", severity, "severity severity-" + severity.ToLowerInvariant()).ToString();

    private static string Delivery(AlertOutboxRow row)
    {
        var sink = row.Sink.StartsWith("webhook:", StringComparison.Ordinal) && Uri.TryCreate(row.Sink["webhook:".Length..], UriKind.Absolute, out var url)
            ? "webhook " + url.Host
            : row.Sink;
        return row.State switch
        {
            AlertOutboxRow.Delivered => $"{sink}: delivered {Time(row.DoneMs ?? row.CreatedMs)}",
            AlertOutboxRow.Dead => $"{sink}: gave up after {row.Attempts} attempt(s): {row.LastError}",
            _ when row.Attempts > 0 => $"{sink}: retrying at {Time(row.DueMs)} ({row.Attempts} failed: {row.LastError})",
            _ => $"{sink}: pending",
        };
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Every(TimeSpan interval) =>
        interval.TotalDays >= 1 && interval.TotalDays % 1 == 0 ? (interval.TotalDays == 1 ? "day" : $"{interval.TotalDays:0} days")
        : interval.TotalHours >= 1 && interval.TotalHours % 1 == 0 ? (interval.TotalHours == 1 ? "hour" : $"{interval.TotalHours:0} hours")
        : $"{interval.TotalSeconds:0} seconds";
}
