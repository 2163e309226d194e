using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Budgets;

/// <summary>Finds a budget's notification by the Notification structure a request names it with.</summary>
public static class NotificationLookup
{
    public static BudgetNotification Named(JsonObject? notification, List<string> problems) =>
        BudgetInput.Notification(notification, [], problems);

    public static int IndexOf(BudgetDocument budget, BudgetNotification wanted)
    {
        ArgumentNullException.ThrowIfNull(budget);
        for (var i = 0; i < budget.Notifications.Count; i++)
        {
            if (budget.Notifications[i].SameAs(wanted))
            {
                return i;
            }
        }

        return -1;
    }

    public static int Require(BudgetDocument budget, BudgetNotification wanted) =>
        IndexOf(budget, wanted) is var index and >= 0
            ? index
            : throw BudgetsErrors.NotFound.ToException($"Unable to find the notification of budget {budget.Name}: it doesn't exist.");

    public static BudgetDocument With(BudgetDocument budget, int index, BudgetNotification? replacement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var list = budget.Notifications.ToList();
        if (replacement is null)
        {
            list.RemoveAt(index);
        }
        else if (index < 0)
        {
            list.Add(replacement);
        }
        else
        {
            list[index] = replacement;
        }

        return budget with { Notifications = list, LastUpdated = now };
    }
}
