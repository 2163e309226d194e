using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloudkeep.Services.Budgets;

/// <summary>
/// One budget alert for one subscriber, as queued in the outbox: EMAIL is mailed to the address,
/// SNS is published to the topic (as budgets.amazonaws.com, for the budget's ARN and account).
/// </summary>
public sealed record BudgetAlert(string SubscriptionType, string Address, string AccountId, string BudgetName, string Subject, string Text)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public string BudgetArn => $"arn:aws:budgets::{AccountId}:budget/{BudgetName}";

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BudgetAlert FromJson(string json) =>
        JsonSerializer.Deserialize<BudgetAlert>(json, Json) ?? throw new JsonException("An empty budget alert.");

    /// <summary>
    /// The alert's subject and text in the shape of AWS's budget alert e-mail: a dated header with
    /// the account, the sentence naming the notification type, comparison, threshold and spend, then
    /// the budget's name, type, amount, alert type, threshold and the amount that crossed it.
    /// </summary>
    public static (string Subject, string Text) Compose(string accountId, BudgetDocument budget, BudgetNotification notification, decimal thresholdAmount, decimal spend, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(notification);
        var forecasted = notification.NotificationType == "FORECASTED";
        var subject = forecasted
            ? $"AWS Budgets: {budget.Name} is forecasted to exceed your alert threshold"
            : $"AWS Budgets: {budget.Name} has exceeded your alert threshold";
        var (adjective, period) = budget.TimeUnit switch
        {
            "DAILY" => ("daily", "day"),
            "QUARTERLY" => ("quarterly", "quarter"),
            "ANNUALLY" => ("annual", "year"),
            _ => ("monthly", "month"),
        };
        var (words, symbol) = notification.ComparisonOperator switch
        {
            "LESS_THAN" => ("less than", "<"),
            "EQUAL_TO" => ("equal to", "="),
            _ => ("greater than", ">"),
        };
        var type = notification.NotificationType;
        var (kind, budgetType) = budget.TracksUsage ? ("Usage", "Usage") : ("Cost", "Cost");
        string Amount(decimal amount) => budget.TracksUsage ? Quantity(amount, budget.LimitUnit) : Usd(amount);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"AWS Budget Notification {now.UtcDateTime.ToString("MMMM dd, yyyy", CultureInfo.InvariantCulture)}\n")
            .Append(CultureInfo.InvariantCulture, $"AWS Account {accountId}\n\n")
            .Append("Dear AWS Customer,\n\n")
            .Append(CultureInfo.InvariantCulture, $"You requested that we alert you when the {type} {kind} associated with your {adjective} budget is {words} {Amount(thresholdAmount)} for the current {period}. ")
            .Append(CultureInfo.InvariantCulture, $"The {type} {kind} associated with this budget is {Amount(spend)}. You can find additional details below and on the budgets page of the console.\n\n")
            .Append(CultureInfo.InvariantCulture, $"Budget Name: {budget.Name}\n")
            .Append(CultureInfo.InvariantCulture, $"Budget Type: {budgetType}\n")
            .Append(CultureInfo.InvariantCulture, $"Budgeted Amount: {Amount(budget.LimitAmount)}\n")
            .Append(CultureInfo.InvariantCulture, $"Alert Type: {type}\n")
            .Append(CultureInfo.InvariantCulture, $"Alert Threshold: {symbol} {Amount(thresholdAmount)}\n")
            .Append(CultureInfo.InvariantCulture, $"{type} Amount: {Amount(spend)}\n");
        return (subject, text.ToString());
    }

    private static string Quantity(decimal amount, string unit) => Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture) + " " + unit;

    private static string Usd(decimal amount) => "$" + Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
