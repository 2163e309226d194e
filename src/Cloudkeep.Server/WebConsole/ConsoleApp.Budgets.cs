using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Budgets of the account worked in: each budget's limit, spend so far, forecast when Budgets gives
/// one, the share of the limit used, and its notifications with their subscribers; a form that
/// creates a COST budget (optionally with one e-mail alert at a share of the limit), and deletion
/// behind a confirmation page. Every read is budgets:ViewBudget and every change budgets:ModifyBudget,
/// run as the signed-in session through the Budgets operations as they are.
/// </summary>
internal sealed partial class ConsoleApp
{
    private static readonly string[] BudgetTimeUnits = ["MONTHLY", "QUARTERLY", "ANNUALLY", "DAILY"];

    private Task BudgetsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => BudgetsAsync(context, session, null, null);

    private async Task BudgetsAsync(HttpContext context, ConsoleSession session, AwsException? actionError, string? notice)
    {
        var account = CallerOf(session).AccountId;
        var body = new Html().Raw("<h1>Budgets</h1><p class=\"hint\">Cost budgets of account ").Text(account).Raw(": spend so far in each budget's current period.</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        // The largest page Budgets gives (1,000): more budgets than that in one account is beyond what one page should show.
        var (budgets, error) = await RunAsync(context, session, "budgets", "DescribeBudgets", new JsonObject { ["AccountId"] = account, ["MaxResults"] = 1000 });
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Budgets", body, session);
            return;
        }

        var list = Items(budgets, "Budgets").ToList();
        body.Raw("<table id=\"budgets\"><thead><tr><th>Name</th><th>Period</th><th>Limit</th><th>Actual spend</th><th>Forecast</th><th>Used</th><th>Notifications</th><th></th></tr></thead><tbody>");
        foreach (var budget in list)
        {
            var name = Str(budget["BudgetName"]);
            var limit = Money(budget["BudgetLimit"]);
            var actual = Money(budget["CalculatedSpend"]?["ActualSpend"]);
            var forecast = budget["CalculatedSpend"]?["ForecastedSpend"];
            body.Raw("<tr>").El("td", name, "mono").El("td", Str(budget["TimeUnit"])).El("td", limit.Text, "num").El("td", actual.Text, "num")
                .El("td", forecast is null ? "—" : Money(forecast).Text, "num").Raw("<td>").Raw(UsedBar(actual.Amount, limit.Amount)).Raw("</td><td>");
            await NotificationsAsync(context, session, body, account, name);
            body.Raw("</td><td class=\"actions\">").Link($"/console/budgets/delete?name={Q(name)}", "Delete…", "danger-link").Raw("</td></tr>");
        }

        body.Raw("</tbody></table>");
        if (list.Count == 0)
        {
            body.Notice("This account has no budgets.");
        }

        body.Raw("<section class=\"card\" id=\"create-budget\"><h2>Create a cost budget</h2>").FormStart("/console/budgets/create", Token(context), "stack")
            .Field("Name", "name").Field("Limit (USD)", "amount").Raw("<label>Period<select name=\"timeUnit\" id=\"timeUnit\">");
        foreach (var unit in BudgetTimeUnits)
        {
            body.Raw("<option value=\"").Text(unit).Raw("\">").Text(unit.ToLowerInvariant()).Raw("</option>");
        }

        body.Raw("</select></label><p class=\"hint\">An optional alert: an e-mail when actual spend passes a share of the limit.</p>")
            .Field("Alert at (% of the limit)", "threshold", value: "80", required: false).Field("Alert e-mail address", "email", "email", required: false)
            .Button("Create budget").FormEnd().Raw("</section>");
        await RenderAsync(context, StatusCodes.Status200OK, "Budgets", body, session);
    }

    /// <summary>A budget's notifications, each with its subscribers, as a list in the budget's row.</summary>
    private async Task NotificationsAsync(HttpContext context, ConsoleSession session, Html body, string account, string name)
    {
        var (notifications, error) = await RunAsync(context, session, "budgets", "DescribeNotificationsForBudget", new JsonObject { ["AccountId"] = account, ["BudgetName"] = name });
        if (error is not null)
        {
            body.Text(error.Code);
            return;
        }

        var list = Items(notifications, "Notifications").ToList();
        if (list.Count == 0)
        {
            body.Text("none");
            return;
        }

        body.Raw("<ul class=\"plain\">");
        foreach (var notification in list)
        {
            var (subscribers, _) = await RunAsync(context, session, "budgets", "DescribeSubscribersForNotification",
                new JsonObject { ["AccountId"] = account, ["BudgetName"] = name, ["Notification"] = notification.DeepClone() });
            var threshold = notification["Threshold"] is JsonValue t && t.TryGetValue<double>(out var number) ? number.ToString("0.##", CultureInfo.InvariantCulture) : Str(notification["Threshold"]);
            var amount = Str(notification["ThresholdType"]) == "ABSOLUTE_VALUE" ? threshold + " USD" : threshold + "%";
            var to = string.Join(", ", Items(subscribers, "Subscribers").Select(s => $"{Str(s["SubscriptionType"]).ToLowerInvariant()} {Str(s["Address"])}"));
            body.Raw("<li>").Text($"{Str(notification["NotificationType"]).ToLowerInvariant()} {Comparison(Str(notification["ComparisonOperator"]))} {amount} → {to}")
                .Raw(" ").El("span", Str(notification["NotificationState"]), "state state-" + Str(notification["NotificationState"]).ToLowerInvariant()).Raw("</li>");
        }

        body.Raw("</ul>");
    }

    private async Task BudgetCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var account = CallerOf(session).AccountId;
        var timeUnit = form!["timeUnit"].ToString();
        var input = new JsonObject
        {
            ["AccountId"] = account,
            ["Budget"] = new JsonObject
            {
                ["BudgetName"] = form["name"].ToString().Trim(),
                ["BudgetType"] = "COST",
                ["TimeUnit"] = BudgetTimeUnits.Contains(timeUnit) ? timeUnit : "MONTHLY",
                ["BudgetLimit"] = new JsonObject { ["Amount"] = form["amount"].ToString().Trim(), ["Unit"] = "USD" },
            },
        };
        if (form["email"].ToString().Trim() is { Length: > 0 } email)
        {
            // An unreadable threshold goes to Budgets as -1, so its own validation names the problem.
            var threshold = double.TryParse(form["threshold"].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) ? percent : -1;
            input["NotificationsWithSubscribers"] = new JsonArray(new JsonObject
            {
                ["Notification"] = new JsonObject { ["NotificationType"] = "ACTUAL", ["ComparisonOperator"] = "GREATER_THAN", ["Threshold"] = threshold, ["ThresholdType"] = "PERCENTAGE" },
                ["Subscribers"] = new JsonArray(new JsonObject { ["SubscriptionType"] = "EMAIL", ["Address"] = email }),
            });
        }

        var (_, error) = await RunAsync(context, session, "budgets", "CreateBudget", input);
        await BudgetsAsync(context, session, error, error is null ? $"Budget {form["name"].ToString().Trim()} created." : null);
    }

    private async Task BudgetDeletePageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = context.Request.Query["name"].ToString();
        var account = CallerOf(session).AccountId;
        var (described, error) = await RunAsync(context, session, "budgets", "DescribeBudget", new JsonObject { ["AccountId"] = account, ["BudgetName"] = name });
        if (error is not null)
        {
            await RenderErrorAsync(context, session, "Delete budget", error);
            return;
        }

        var budget = described?["Budget"];
        var body = new Html().Raw("<h1>Delete budget</h1><p class=\"crumbs\">").Link("/console/budgets", "Budgets").Raw("</p><section class=\"card narrow\" id=\"confirm\"><p>Delete the budget <strong>")
            .Text(name).Raw("</strong> (limit ").Text(Money(budget?["BudgetLimit"]).Text).Raw(", ").Text(Str(budget?["TimeUnit"]).ToLowerInvariant())
            .Raw(") with its notifications and subscribers? This cannot be undone.</p>")
            .FormStart("/console/budgets/delete", Token(context), "inline").Hidden("name", name).Button("Delete budget", cssClass: "danger").FormEnd()
            .Raw(" ").Link("/console/budgets", "Cancel", "button-secondary").Raw("</section>");
        await RenderAsync(context, StatusCodes.Status200OK, "Delete budget", body, session);
    }

    private async Task BudgetDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var (_, error) = await RunAsync(context, session, "budgets", "DeleteBudget", new JsonObject { ["AccountId"] = CallerOf(session).AccountId, ["BudgetName"] = name });
        await BudgetsAsync(context, session, error, error is null ? $"Budget {name} deleted." : null);
    }

    /// <summary>A Spend structure as text ("12.5 USD") and its amount.</summary>
    private static (string Text, decimal Amount) Money(JsonNode? spend)
    {
        var amount = Str(spend?["Amount"]);
        return amount.Length == 0 ? ("—", 0) : ($"{amount} {Str(spend?["Unit"])}", decimal.TryParse(amount, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0);
    }

    /// <summary>The share of the limit spent, as a meter (the browser's own accessible gauge) and in words.</summary>
    private static string UsedBar(decimal actual, decimal limit)
    {
        var percent = limit > 0 ? Math.Round(actual / limit * 100, 1) : 0;
        var text = percent.ToString("0.#", CultureInfo.InvariantCulture) + "%";
        return new Html().Raw("<meter min=\"0\" max=\"100\" low=\"80\" high=\"100\" optimum=\"0\" value=\"").Text(Math.Min(percent, 100).ToString("0.#", CultureInfo.InvariantCulture))
            .Raw("\" title=\"").Text(text).Raw("\">").Text(text).Raw("</meter> ").El("span", text, "used").ToString();
    }

    private static string Comparison(string comparison) => comparison switch
    {
        "GREATER_THAN" => ">",
        "LESS_THAN" => "<",
        "EQUAL_TO" => "=",
        _ => comparison,
    };
}
