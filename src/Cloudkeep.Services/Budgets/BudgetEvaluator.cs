namespace Cloudkeep.Services.Budgets;

/// <summary>
/// Judges every budget's notifications against its spend, as AWS Budgets does a few times a day:
/// ACTUAL against the period's cost so far, FORECASTED against that cost plus Cost Explorer's
/// forecast for the rest of the period. A notification that crosses goes to ALARM and, the first
/// time in a period, queues one alert per subscriber in the same write; the next period starts OK.
/// </summary>
public sealed class BudgetEvaluator(BudgetsContext budgets)
{
    /// <summary>How many alerts the pass queued.</summary>
    public async Task<int> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        var now = budgets.Time.GetUtcNow();
        var queued = 0;
        foreach (var (accountId, document) in await budgets.Repository.ListAsync(null, cancellationToken))
        {
            var budget = BudgetsContext.Deserialize(document);
            if (budget.Notifications.Count == 0 || now < budget.Start || now >= budget.End)
            {
                continue;
            }

            var spend = await SpendAsync(accountId, budget, now, cancellationToken);
            var written = 0;
            await budgets.Repository.UpdateAsync(
                accountId,
                budget.Name,
                current =>
                {
                    var (changed, alerts) = Judge(accountId, BudgetsContext.Deserialize(current), spend, now);
                    written = alerts.Count;
                    return changed is null ? null : (BudgetsContext.Serialize(changed), alerts);
                },
                now,
                cancellationToken);
            queued += written;
        }

        return queued;
    }

    /// <summary>The spend each notification type is judged on; Forecasted is null while there is no history to forecast from.</summary>
    public sealed record Spend(DateTimeOffset PeriodStart, decimal Actual, decimal? Forecasted);

    private async Task<Spend> SpendAsync(string accountId, BudgetDocument budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, _) = BudgetPeriods.Current(budget, now);
        var actual = await budgets.ActualSpendAsync(accountId, budget, cancellationToken);
        var forecasted = budget.Notifications.Any(n => n.NotificationType == "FORECASTED") ? await budgets.ForecastedSpendAsync(accountId, budget, cancellationToken) : null;
        return new Spend(from, actual, forecasted);
    }

    /// <summary>The budget with its notifications judged, and the alerts to queue; a null budget when nothing changed.</summary>
    public static (BudgetDocument? Budget, IReadOnlyList<string> Alerts) Judge(string accountId, BudgetDocument budget, Spend spend, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(spend);
        var alerts = new List<string>();
        var notifications = new List<BudgetNotification>();
        foreach (var notification in budget.Notifications)
        {
            var amount = notification.NotificationType == "FORECASTED" ? spend.Forecasted : spend.Actual;
            var notifiedThisPeriod = notification.NotifiedPeriod == spend.PeriodStart;
            if (amount is not { } value)
            {
                // Nothing to judge a forecast on yet: a state left from an earlier period still resets.
                notifications.Add(notifiedThisPeriod ? notification : notification with { State = "OK" });
                continue;
            }

            var threshold = ThresholdAmount(budget, notification);
            var crossed = notification.ComparisonOperator switch
            {
                "LESS_THAN" => value < threshold,
                "EQUAL_TO" => value == threshold,
                _ => value > threshold,
            };
            if (crossed && !notifiedThisPeriod)
            {
                var (subject, text) = BudgetAlert.Compose(accountId, budget, notification, threshold, value, now);
                alerts.AddRange(notification.Subscribers.Select(s => new BudgetAlert(s.SubscriptionType, s.Address, accountId, budget.Name, subject, text).ToJson()));
                notifications.Add(notification with { State = "ALARM", NotifiedPeriod = spend.PeriodStart });
            }
            else
            {
                notifications.Add(notification with { State = crossed ? "ALARM" : "OK" });
            }
        }

        var changed = !notifications.SequenceEqual(budget.Notifications, NotificationStateComparer.Instance);
        return (changed ? budget with { Notifications = notifications } : null, alerts);
    }

    /// <summary>A PERCENTAGE threshold is a percentage of the budgeted amount; ABSOLUTE_VALUE is an amount in the budget's unit.</summary>
    public static decimal ThresholdAmount(BudgetDocument budget, BudgetNotification notification)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(notification);
        var threshold = (decimal)notification.Threshold;
        return notification.ThresholdType == "ABSOLUTE_VALUE" ? threshold : budget.LimitAmount * threshold / 100m;
    }

    private sealed class NotificationStateComparer : IEqualityComparer<BudgetNotification>
    {
        public static readonly NotificationStateComparer Instance = new();

        public bool Equals(BudgetNotification? x, BudgetNotification? y) =>
            x is not null && y is not null && x.SameAs(y) && x.State == y.State && x.NotifiedPeriod == y.NotifiedPeriod;

        public int GetHashCode(BudgetNotification obj) => obj.NotificationType.GetHashCode(StringComparison.Ordinal);
    }
}
