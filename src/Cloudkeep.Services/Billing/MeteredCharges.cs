using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// AWS/Billing EstimatedCharges from the metered usage: each account's month-to-date cost (usage
/// times the price list), in total and per service under the service codes the ServiceName
/// dimension uses.
/// </summary>
public sealed class MeteredCharges(UsageRepository usage, PriceList prices) : IEstimatedChargesSource
{
    public async Task<IReadOnlyList<(string AccountId, string? ServiceName, double Usd)>> MonthToDateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = await usage.QueryAsync(monthStart, now, null, cancellationToken);
        var charges = new List<(string, string?, double)>();
        foreach (var account in rows.GroupBy(r => r.AccountId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var byService = account.GroupBy(r => r.Service)
                .Select(s => (Code: UsageTypes.ServiceCode(s.Key), Usd: s.Sum(r => (decimal)r.Quantity * prices.UnitPrice(r.Service, r.UsageType))))
                .ToList();
            charges.Add((account.Key, null, (double)byService.Sum(s => s.Usd)));
            charges.AddRange(byService.OrderBy(s => s.Code, StringComparer.Ordinal).Select(s => (account.Key, (string?)s.Code, (double)s.Usd)));
        }

        return charges;
    }
}
