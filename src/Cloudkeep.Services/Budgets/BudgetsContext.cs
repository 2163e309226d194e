using System.Text.Json;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Budgets;

/// <summary>What Budgets' operations and its evaluation share: the stored budgets, Cost Explorer's priced usage and the clock.</summary>
public sealed class BudgetsContext(BudgetRepository budgets, CostExplorerContext costs, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public BudgetRepository Repository { get; } = budgets;

    public TimeProvider Time { get; } = time;

    public static string Serialize(BudgetDocument budget) => JsonSerializer.Serialize(budget, Json);

    public static BudgetDocument Deserialize(string document) =>
        JsonSerializer.Deserialize<BudgetDocument>(document, Json) ?? throw new InvalidDataException("A stored budget is null.");

    public async Task<BudgetDocument> GetAsync(string accountId, string name, CancellationToken cancellationToken) =>
        await Repository.GetAsync(accountId, name, cancellationToken) is { } document
            ? Deserialize(document)
            : throw BudgetsErrors.NotFound.ToException($"Unable to get budget: {name} - the budget doesn't exist.");

    /// <summary>
    /// Changes a budget under its lock: <paramref name="change"/> sees the stored budget as it is now
    /// (and may throw an error for the caller), so concurrent edits of one budget's notifications
    /// and subscribers each build on the other's.
    /// </summary>
    public async Task UpdateAsync(string accountId, string name, Func<BudgetDocument, BudgetDocument> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!await Repository.UpdateAsync(accountId, name, document => (Serialize(change(Deserialize(document))), []), Time.GetUtcNow(), cancellationToken))
        {
            throw BudgetsErrors.NotFound.ToException($"Unable to update budget: {name} - the budget doesn't exist.");
        }
    }

    /// <summary>
    /// The cost spent (a USAGE budget: the usage metered) in the budget's current period up to now,
    /// of the usage its cost filters keep: the same priced usage Cost Explorer answers with, seen as
    /// the budget's account sees it (a management account's budget covers the organization, as
    /// AWS's consolidated billing does).
    /// </summary>
    public async Task<decimal> ActualSpendAsync(string accountId, BudgetDocument budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var now = Time.GetUtcNow();
        var (from, to) = BudgetPeriods.Current(budget, now);
        if (to > now)
        {
            to = now;
        }

        if (from >= to)
        {
            return 0m;
        }

        var lines = await costs.LinesAsync(accountId, from, to, cancellationToken);
        return lines.Where(l => BudgetCostFilters.Matches(budget.CostFilters, l)).Sum(Measure(budget));
    }

    /// <summary>What a budget adds up of each cost line its filters keep: the cost, or for a USAGE budget the metered quantity.</summary>
    public static Func<CostLine, decimal> Measure(BudgetDocument budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return budget.TracksUsage ? l => (decimal)l.Usage.Quantity : l => l.Cost;
    }

    /// <summary>
    /// The cost the budget's current period is expected to end at: what was spent before today, plus
    /// Cost Explorer's forecast (GetCostForecast's MeanValue) from today's midnight to the period's
    /// end. Null while there is no metered history to forecast from, as AWS gives no forecast then.
    /// </summary>
    public async Task<decimal?> ForecastedSpendAsync(string accountId, BudgetDocument budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var now = Time.GetUtcNow();
        var (from, to) = BudgetPeriods.Current(budget, now);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (today < from)
        {
            today = from;
        }

        bool Kept(CostLine line) => BudgetCostFilters.Matches(budget.CostFilters, line);
        if (await CostForecast.MeanUntilAsync(costs, accountId, today, to, Kept, Measure(budget), cancellationToken) is not { } rest)
        {
            return null;
        }

        var before = today > from ? (await costs.LinesAsync(accountId, from, today, cancellationToken)).Where(Kept).Sum(Measure(budget)) : 0m;
        return before + rest;
    }
}
