using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Billing.Operations;

/// <summary>
/// A cost forecast from the metered history: the mean daily cost of up to the last 30 whole days
/// (filtered as asked) carried over each forecast day, with a prediction interval from the spread of
/// those days' costs at the requested level (80% when none is given).
/// </summary>
public sealed class GetCostForecast(CostExplorerContext costs) : CostExplorerOperation(costs)
{
    public static readonly IReadOnlyList<string> ForecastMetrics = ["UNBLENDED_COST", "BLENDED_COST", "AMORTIZED_COST", "NET_UNBLENDED_COST", "NET_AMORTIZED_COST"];

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var problems = new List<string>();
        var granularity = input.OptStr("Granularity") ?? "";
        if (granularity is not ("DAILY" or "MONTHLY"))
        {
            problems.Add("Granularity must be DAILY or MONTHLY for a forecast");
        }

        var period = CostPeriod.Parse(input.OptObject("TimePeriod"), granularity == "MONTHLY" ? "MONTHLY" : "DAILY", problems);
        var metric = input.OptStr("Metric") ?? "";
        if (!ForecastMetrics.Contains(metric))
        {
            problems.Add($"Metric {metric} is not supported for a cost forecast. Valid values: {string.Join(", ", ForecastMetrics)}");
        }

        var level = input.OptInteger("PredictionIntervalLevel") ?? 80;
        if (level is < 51 or > 99)
        {
            problems.Add("PredictionIntervalLevel must be between 51 and 99");
        }

        var filter = CostFilter.Parse(input.OptObject("Filter"), problems);
        var now = Costs.Time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (problems.Count == 0 && period.Start < today)
        {
            problems.Add("Start date must be equal to or later than the current date");
        }

        if (problems.Count == 0 && period.End > today.AddMonths(18))
        {
            problems.Add("End date must be no later than 18 months from the current date");
        }

        ThrowIfInvalid(problems);

        var daily = await CostForecast.DailyHistoryAsync(Costs, request.Caller.AccountId, today, filter.Matches, cancellationToken);
        if (daily.Count == 0)
        {
            throw CostExplorerErrors.DataUnavailable.ToException("Insufficient amount of historical data to generate forecast.");
        }

        var mean = daily.Average();
        var spread = Math.Sqrt(daily.Sum(c => (c - mean) * (c - mean)) / Math.Max(1, daily.Count - 1));
        var z = NormalQuantile((1 + (level / 100.0)) / 2);

        var results = new JsonArray();
        var total = 0m;
        foreach (var (start, end) in period.Split())
        {
            var length = (end - start).TotalDays;
            var value = (decimal)(mean * length);
            var margin = z * spread * Math.Sqrt(length);
            total += value;
            results.Add(new JsonObject
            {
                ["TimePeriod"] = new JsonObject { ["Start"] = period.Format(start), ["End"] = period.Format(end) },
                ["MeanValue"] = Amount(value),
                ["PredictionIntervalLowerBound"] = Amount((decimal)Math.Max(0, (mean * length) - margin)),
                ["PredictionIntervalUpperBound"] = Amount((decimal)((mean * length) + margin)),
            });
        }

        return new OperationResult(new JsonObject
        {
            ["Total"] = new JsonObject { ["Amount"] = Amount(total), ["Unit"] = "USD" },
            ["ForecastResultsByTime"] = results,
        });
    }

    /// <summary>The standard normal quantile, by bisection on the CDF (Abramowitz and Stegun 7.1.26's erf, good to 1.5e-7).</summary>
    private static double NormalQuantile(double p)
    {
        double low = -10, high = 10;
        for (var i = 0; i < 80; i++)
        {
            var mid = (low + high) / 2;
            if (NormalCdf(mid) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    private static double NormalCdf(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x) / Math.Sqrt(2)));
        var polynomial = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (polynomial * Math.Exp(-x * x / 2));
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
