namespace Cloudkeep.Services.Budgets;

/// <summary>
/// A budget as stored: what CreateBudget/UpdateBudget set, with its notifications and cost filters.
/// Amounts are kept as decimals and written back as AWS writes them (a string with the digits given).
/// </summary>
public sealed record BudgetDocument(
    string Name,
    string BudgetType,
    string TimeUnit,
    decimal LimitAmount,
    string LimitUnit,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset LastUpdated,
    IReadOnlyList<BudgetNotification> Notifications,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? CostFilters = null)
{
    /// <summary>A USAGE budget tracks the metered quantity of the usage its filters select; a COST budget tracks its cost in USD.</summary>
    public bool TracksUsage => BudgetType == "USAGE";
}

/// <summary>
/// One notification with its subscribers; <paramref name="NotifiedPeriod"/> is the start of the
/// budget period in which it last fired, so it sends once per period.
/// </summary>
public sealed record BudgetNotification(
    string NotificationType,
    string ComparisonOperator,
    double Threshold,
    string ThresholdType,
    IReadOnlyList<BudgetSubscriber> Subscribers,
    string State = "OK",
    DateTimeOffset? NotifiedPeriod = null)
{
    /// <summary>AWS identifies a notification by its type, operator, threshold and threshold type.</summary>
    public bool SameAs(BudgetNotification other) =>
        NotificationType == other.NotificationType && ComparisonOperator == other.ComparisonOperator
        && Threshold.Equals(other.Threshold) && ThresholdType == other.ThresholdType;
}

public sealed record BudgetSubscriber(string SubscriptionType, string Address);
