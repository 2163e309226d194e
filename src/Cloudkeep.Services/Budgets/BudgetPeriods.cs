namespace Cloudkeep.Services.Budgets;

/// <summary>Budget periods: a budget resets its spend at the start of each day, month, quarter or year (UTC).</summary>
public static class BudgetPeriods
{
    /// <summary>AWS's default end date for a budget without one ("06/15/87 00:00 UTC").</summary>
    public static readonly DateTimeOffset DefaultEnd = new(2087, 6, 15, 0, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlySet<string> Served = new HashSet<string>(StringComparer.Ordinal) { "DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY" };

    /// <summary>The start of the period of <paramref name="timeUnit"/> holding <paramref name="at"/>.</summary>
    public static DateTimeOffset StartOf(string timeUnit, DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return timeUnit switch
        {
            "DAILY" => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            "QUARTERLY" => new DateTimeOffset(utc.Year, ((utc.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero),
            "ANNUALLY" => new DateTimeOffset(utc.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    public static DateTimeOffset Next(string timeUnit, DateTimeOffset start) => timeUnit switch
    {
        "DAILY" => start.AddDays(1),
        "QUARTERLY" => start.AddMonths(3),
        "ANNUALLY" => start.AddYears(1),
        _ => start.AddMonths(1),
    };

    /// <summary>The budget's period holding <paramref name="now"/>, clipped to the budget's own start and end.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Current(BudgetDocument budget, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var from = StartOf(budget.TimeUnit, now);
        var to = Next(budget.TimeUnit, from);
        return (from < budget.Start ? budget.Start : from, to > budget.End ? budget.End : to);
    }
}
