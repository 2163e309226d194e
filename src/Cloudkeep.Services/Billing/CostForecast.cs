namespace Cloudkeep.Services.Billing;

/// <summary>
/// The history Cost Explorer forecasts from, shared by GetCostForecast and Budgets' FORECASTED
/// notifications so both predict the same spend: the cost of each whole day of up to the last 30
/// before today, starting no earlier than the first metered hour.
/// </summary>
public static class CostForecast
{
    public const int HistoryDays = 30;

    /// <summary>One cost per day, oldest first; empty when the estate has no metered history to forecast from.</summary>
    public static Task<IReadOnlyList<double>> DailyHistoryAsync(CostExplorerContext costs, string accountId, DateTimeOffset today, Func<CostLine, bool> matches, CancellationToken cancellationToken) =>
        DailyHistoryAsync(costs, accountId, today, matches, l => l.Cost, cancellationToken);

    /// <summary>
    /// One amount per day, oldest first, of what <paramref name="measure"/> takes from each matching
    /// line (its cost, or for a USAGE budget its quantity); empty without metered history.
    /// </summary>
    public static async Task<IReadOnlyList<double>> DailyHistoryAsync(
        CostExplorerContext costs, string accountId, DateTimeOffset today, Func<CostLine, bool> matches, Func<CostLine, decimal> measure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(matches);
        var first = await costs.Usage.FirstHourAsync(cancellationToken);
        var historyStart = today.AddDays(-HistoryDays);
        if (first is { } firstHour && firstHour > historyStart)
        {
            historyStart = new DateTimeOffset(firstHour.UtcDateTime.Date, TimeSpan.Zero);
        }

        var days = (int)(today - historyStart).TotalDays;
        var lines = first is null || days <= 0 ? [] : (await costs.LinesAsync(accountId, historyStart, today, cancellationToken)).Where(matches).ToList();
        if (lines.Count == 0)
        {
            return [];
        }

        return Enumerable.Range(0, days)
            .Select(d => (double)lines.Where(l => l.Usage.Hour >= historyStart.AddDays(d) && l.Usage.Hour < historyStart.AddDays(d + 1)).Sum(measure))
            .ToList();
    }

    /// <summary>
    /// The spend (or usage) expected from <paramref name="today"/> (midnight UTC) to <paramref name="end"/>:
    /// the mean daily amount of the history carried over each day, GetCostForecast's MeanValue; null without history.
    /// </summary>
    public static async Task<decimal?> MeanUntilAsync(
        CostExplorerContext costs, string accountId, DateTimeOffset today, DateTimeOffset end, Func<CostLine, bool> matches, Func<CostLine, decimal> measure, CancellationToken cancellationToken)
    {
        var daily = await DailyHistoryAsync(costs, accountId, today, matches, measure, cancellationToken);
        return daily.Count == 0 ? null : end <= today ? 0m : (decimal)(daily.Average() * (end - today).TotalDays);
    }
}
