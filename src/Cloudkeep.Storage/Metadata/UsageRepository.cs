using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>Metered usage rolled up by hour, and the sizes the hourly roll-up measures.</summary>
public sealed partial class UsageRepository(IMetadataStore store)
{
    private const string Columns = "account_id AS AccountId, region AS Region, service AS Service, usage_type AS UsageType, tags AS Tags, hour AS Hour, quantity AS Quantity";

    /// <summary>Adds counted usage to its hours' rows: every node flushes its own counts, so rows only grow.</summary>
    public Task AddAsync(IReadOnlyCollection<UsageRecord> usage, CancellationToken cancellationToken) =>
        WriteAsync(usage, "quantity = usage_hourly.quantity + excluded.quantity", cancellationToken);

    /// <summary>Sets measured usage (an hour's storage): a repeated roll-up of the same hour writes the same value, never twice.</summary>
    public Task SetAsync(IReadOnlyCollection<UsageRecord> usage, CancellationToken cancellationToken) =>
        WriteAsync(usage, "quantity = excluded.quantity", cancellationToken);

    private Task WriteAsync(IReadOnlyCollection<UsageRecord> usage, string update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Count == 0)
        {
            return Task.CompletedTask;
        }

        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var row in usage)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO usage_hourly (account_id, region, service, usage_type, tags, hour, quantity) VALUES (@AccountId, @Region, @Service, @UsageType, @Tags, @hour, @Quantity) " +
                        "ON CONFLICT (account_id, region, service, usage_type, tags, hour) DO UPDATE SET " + update,
                        new { row.AccountId, row.Region, row.Service, row.UsageType, row.Tags, hour = row.Hour.ToUnixTimeSeconds(), row.Quantity },
                        transaction);
                }

                return 0;
            },
            cancellationToken);
    }

    /// <summary>Usage in [from, to), of the given accounts (every account when null).</summary>
    public async Task<IReadOnlyList<UsageRecord>> QueryAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string>? accounts, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UsageRow>(
            $"SELECT {Columns} FROM usage_hourly WHERE hour >= @from AND hour < @to",
            new { from = from.ToUnixTimeSeconds(), to = to.ToUnixTimeSeconds() });
        return [.. rows.Where(r => accounts is null || accounts.Contains(r.AccountId)).Select(r => r.ToRecord())];
    }

    /// <summary>The first hour with any usage, for forecasts that need to know how much history there is.</summary>
    public async Task<DateTimeOffset?> FirstHourAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var first = await connection.ExecuteScalarAsync<long?>("SELECT MIN(hour) FROM usage_hourly");
        return first is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private sealed class UsageRow
    {
        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        public string Service { get; set; } = "";

        public string UsageType { get; set; } = "";

        public string Tags { get; set; } = "";

        public long Hour { get; set; }

        public double Quantity { get; set; }

        public UsageRecord ToRecord() => new(AccountId, Region, Service, UsageType, Tags, DateTimeOffset.FromUnixTimeSeconds(Hour), Quantity);
    }
}
