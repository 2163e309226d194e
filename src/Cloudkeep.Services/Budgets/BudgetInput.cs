using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Budgets;

/// <summary>Reads a Budget, Notification and Subscriber from a request, collecting every problem.</summary>
public static class BudgetInput
{
    /// <summary>A COST or USAGE Budget structure; what Cloudkeep does not serve answers NotImplemented before any problem is reported.</summary>
    public static BudgetDocument Budget(JsonObject budget, DateTimeOffset now, IReadOnlyList<BudgetNotification> notifications, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(problems);
        var name = budget.OptStr("BudgetName") ?? "";
        var type = budget.OptStr("BudgetType") ?? "";
        var timeUnit = budget.OptStr("TimeUnit") ?? "";
        if (type is "RI_UTILIZATION" or "RI_COVERAGE" or "SAVINGS_PLANS_UTILIZATION" or "SAVINGS_PLANS_COVERAGE")
        {
            // A self-hosted estate has no reservations or savings plans for such a budget to track.
            throw CommonErrors.NotImplemented.ToException($"Cloudkeep serves COST and USAGE budgets, not {type}: there are no reservations or savings plans to track.");
        }

        if (type is not ("COST" or "USAGE"))
        {
            problems.Add($"BudgetType {type} is not valid.");
        }

        if (timeUnit == "CUSTOM")
        {
            throw CommonErrors.NotImplemented.ToException("Cloudkeep does not serve CUSTOM budget periods.");
        }

        foreach (var member in new[] { "PlannedBudgetLimits", "AutoAdjustData", "FilterExpression", "Metrics", "BillingViewArn" })
        {
            if (budget.ContainsKey(member) && !(member == "PlannedBudgetLimits" && budget.ContainsKey("BudgetLimit")))
            {
                throw CommonErrors.NotImplemented.ToException($"Cloudkeep does not serve budgets with {member}.");
            }
        }

        var filters = BudgetCostFilters.Parse(budget.OptObject("CostFilters"), problems);
        if (type == "USAGE" && !(filters?.ContainsKey("UsageType") == true || filters?.ContainsKey("UsageTypeGroup") == true))
        {
            // A usage budget adds up one kind of usage: quantities of different units would not add.
            problems.Add("A USAGE budget must select its usage with a UsageType or UsageTypeGroup cost filter.");
        }

        if (budget.ContainsKey("PlannedBudgetLimits"))
        {
            problems.Add("BudgetLimit and PlannedBudgetLimits cannot both be specified.");
        }

        if (!BudgetPeriods.Served.Contains(timeUnit))
        {
            problems.Add($"TimeUnit {timeUnit} is not valid.");
        }

        var amount = 0m;
        var unit = "USD";
        if (budget.OptObject("BudgetLimit") is not { } limit)
        {
            problems.Add($"A {type} budget must have a BudgetLimit.");
        }
        else
        {
            unit = limit.OptStr("Unit") ?? "";
            if (!decimal.TryParse(limit.OptStr("Amount"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount))
            {
                problems.Add("The BudgetLimit amount is not a number.");
            }
            else if (amount <= 0)
            {
                problems.Add("The BudgetLimit amount must be greater than 0.");
            }

            if (type == "COST" && unit != "USD")
            {
                problems.Add($"The BudgetLimit unit of a COST budget must be USD, not {unit}.");
            }
            else if (type == "USAGE" && (unit.Length == 0 || unit == "USD"))
            {
                problems.Add("The BudgetLimit unit of a USAGE budget is the unit of its usage (GB-Mo, Requests, GB, ...), not USD.");
            }
        }

        var period = budget.OptObject("TimePeriod");
        var start = Time(period, "Start") ?? BudgetPeriods.StartOf(timeUnit, now);
        var end = Time(period, "End") ?? BudgetPeriods.DefaultEnd;
        if (start >= end)
        {
            problems.Add("The TimePeriod start must be before its end.");
        }

        return new BudgetDocument(name, type, timeUnit, amount, unit, start, end, now, notifications, filters);
    }

    public static BudgetNotification Notification(JsonObject? notification, IReadOnlyList<BudgetSubscriber> subscribers, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (notification is null)
        {
            problems.Add("A Notification is required.");
            return new BudgetNotification("ACTUAL", "GREATER_THAN", 0, "PERCENTAGE", subscribers);
        }

        var type = notification.OptStr("NotificationType") ?? "";
        var comparison = notification.OptStr("ComparisonOperator") ?? "";
        var thresholdType = notification.OptStr("ThresholdType") ?? "PERCENTAGE";
        var threshold = Number(notification, "Threshold");
        if (threshold is null or < 0 || double.IsNaN(threshold.Value))
        {
            problems.Add("The notification Threshold must be a number of at least 0.");
        }
        else if (thresholdType == "PERCENTAGE" && threshold > 1_000_000)
        {
            // "The maximum limit for your threshold is 1,000,000% above the budgeted amount" (Notification, Budgets API reference).
            problems.Add("A PERCENTAGE threshold cannot be more than 1000000.");
        }

        return new BudgetNotification(type, comparison, threshold ?? 0, thresholdType, subscribers);
    }

    /// <summary>A notification's subscribers: one SNS topic and up to 10 e-mail addresses ("Quotas", AWS Budgets user guide).</summary>
    public static IReadOnlyList<BudgetSubscriber> Subscribers(JsonArray? subscribers, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var list = subscribers.Objects().Select(s => Subscriber(s, problems)).ToList();
        if (list.Count == 0)
        {
            problems.Add("A notification must have at least one subscriber.");
        }

        if (list.Count(s => s.SubscriptionType == "SNS") > 1)
        {
            problems.Add("A notification can have one SNS subscriber.");
        }

        if (list.Count(s => s.SubscriptionType == "EMAIL") > 10)
        {
            problems.Add("A notification can have at most 10 EMAIL subscribers.");
        }

        if (list.Distinct().Count() != list.Count)
        {
            problems.Add("A notification's subscribers must be distinct.");
        }

        return list;
    }

    public static BudgetSubscriber Subscriber(JsonObject subscriber, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(problems);
        var type = subscriber.OptStr("SubscriptionType") ?? "";
        var address = subscriber.OptStr("Address") ?? "";
        if (address.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            problems.Add("A subscriber's Address cannot contain line breaks.");
        }
        else if (type == "SNS" && !(address.StartsWith("arn:aws:sns:", StringComparison.Ordinal) && address.Split(':').Length == 6))
        {
            problems.Add($"The SNS subscriber address {address} is not an SNS topic ARN.");
        }
        else if (type == "EMAIL" && (address.IndexOf('@', StringComparison.Ordinal) is <= 0 || address.EndsWith('@') || address.Any(char.IsWhiteSpace)))
        {
            problems.Add($"The EMAIL subscriber address {address} is not an e-mail address.");
        }

        return new BudgetSubscriber(type, address);
    }

    private static DateTimeOffset? Time(JsonObject? input, string member) =>
        input is not null && input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var at) ? at : null;

    private static double? Number(JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue value
            ? value.TryGetValue<double>(out var d) ? d : value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : null
            : null;
}
