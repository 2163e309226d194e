using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Budgets;

/// <summary>Budget, Notification and Subscriber structures as the model writes them.</summary>
public static class BudgetOutput
{
    public static JsonObject Budget(BudgetDocument budget, decimal actualSpend, decimal? forecastedSpend = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var output = new JsonObject
        {
            ["BudgetName"] = budget.Name,
            ["BudgetLimit"] = Spend(budget.LimitAmount, budget.LimitUnit),
            ["TimeUnit"] = budget.TimeUnit,
            ["TimePeriod"] = new JsonObject { ["Start"] = budget.Start, ["End"] = budget.End },
            ["CalculatedSpend"] = forecastedSpend is { } forecast
                ? new JsonObject { ["ActualSpend"] = Spend(actualSpend, budget.LimitUnit), ["ForecastedSpend"] = Spend(forecast, budget.LimitUnit) }
                : new JsonObject { ["ActualSpend"] = Spend(actualSpend, budget.LimitUnit) },
            ["BudgetType"] = budget.BudgetType,
            ["LastUpdatedTime"] = budget.LastUpdated,
        };
        if (budget.CostFilters is { } filters)
        {
            output["CostFilters"] = BudgetCostFilters.Output(filters);
        }

        return output;
    }

    public static JsonObject Spend(decimal amount, string unit) => new()
    {
        ["Amount"] = amount.ToString("0.############", CultureInfo.InvariantCulture),
        ["Unit"] = unit,
    };

    public static JsonObject Notification(BudgetNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new JsonObject
        {
            ["NotificationType"] = notification.NotificationType,
            ["ComparisonOperator"] = notification.ComparisonOperator,
            ["Threshold"] = notification.Threshold,
            ["ThresholdType"] = notification.ThresholdType,
            ["NotificationState"] = notification.State,
        };
    }

    public static JsonObject Subscriber(BudgetSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return new JsonObject { ["SubscriptionType"] = subscriber.SubscriptionType, ["Address"] = subscriber.Address };
    }
}
