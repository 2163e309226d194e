using Cloudkeep.Services.Organizations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Billing;

/// <summary>What Cost Explorer's operations share: the metered usage, the price list and the organization (consolidated billing).</summary>
public sealed class CostExplorerContext(UsageRepository usage, PriceList prices, OrganizationContext organizations, TimeProvider time)
{
    public UsageRepository Usage { get; } = usage;

    public PriceList Prices { get; } = prices;

    public OrganizationContext Organizations { get; } = organizations;

    public TimeProvider Time { get; } = time;

    /// <summary>
    /// How many groups (or ungrouped periods) one GetCostAndUsage page holds before it answers a
    /// NextPageToken. AWS does not publish its page size; tests lower this to page small data.
    /// </summary>
    public int GroupsPerPage { get; set; } = 1000;

    /// <summary>
    /// The accounts whose costs the caller's account sees: the management account pays for the
    /// organization and sees every member (consolidated billing); a member account sees only its own.
    /// Null means every account.
    /// </summary>
    public async Task<IReadOnlyCollection<string>?> VisibleAccountsAsync(string callerAccount, CancellationToken cancellationToken)
    {
        var ids = await Organizations.GetIdsAsync(cancellationToken);
        return ids.ManagementAccountId == callerAccount ? null : [callerAccount];
    }

    /// <summary>Priced usage of [from, to) for the accounts the caller sees.</summary>
    public async Task<IReadOnlyList<CostLine>> LinesAsync(string callerAccount, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var accounts = await VisibleAccountsAsync(callerAccount, cancellationToken);
        var rows = await Usage.QueryAsync(from, to, accounts, cancellationToken);
        return [.. rows.Select(r => new CostLine(r, (decimal)r.Quantity * Prices.UnitPrice(r.Service, r.UsageType)))];
    }
}

/// <summary>One hour's usage of one kind, with its cost (quantity times the price list's price).</summary>
public sealed record CostLine(UsageRecord Usage, decimal Cost)
{
    public string Dimension(string key) => key switch
    {
        "SERVICE" => Usage.Service,
        "LINKED_ACCOUNT" => Usage.AccountId,
        "USAGE_TYPE" => Usage.UsageType,
        "REGION" => Usage.Region,
        "RECORD_TYPE" => "Usage",
        _ => "",
    };

    public IReadOnlyDictionary<string, string> Tags => _tags ??= CostTags.Parse(Usage.Tags);

    private IReadOnlyDictionary<string, string>? _tags;
}
