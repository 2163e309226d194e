using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One finding of the security watch as stored: which check, how severe, on what, why, how to fix, and since when it has been seen.</summary>
public sealed record WatchFindingRow(string AccountId, long Seq, string CheckId, string Severity, string Resource, string Why, string Fix, long FirstSeenMs);

/// <summary>When the watch last looked at an account (CheckedMs), when it last read it whole (ReadMs), and why the last look failed, if it did.</summary>
public sealed record WatchAccountRow(string AccountId, long CheckedMs, long? ReadMs, string? Error);

/// <summary>
/// The security watch's latest findings: each pass replaces an account's findings in one
/// transaction, so a reader sees one pass or the next, never half of each. A pass that could not
/// read an account records why and leaves the findings it had.
/// </summary>
public sealed class WatchFindingsRepository(IMetadataStore store)
{
    private const string FindingColumns = "account_id AS AccountId, seq AS Seq, check_id AS CheckId, severity AS Severity, resource AS Resource, why AS Why, fix AS Fix, first_seen_ms AS FirstSeenMs";

    public async Task<IReadOnlyList<WatchFindingRow>> FindingsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchFindingRow>(new CommandDefinition(
            $"SELECT {FindingColumns} FROM watch_findings WHERE account_id = @accountId ORDER BY seq", new { accountId }, cancellationToken: cancellationToken))];
    }

    public async Task<WatchAccountRow?> AccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WatchAccountRow>(new CommandDefinition(
            "SELECT account_id AS AccountId, checked_ms AS CheckedMs, read_ms AS ReadMs, error AS Error FROM watch_accounts WHERE account_id = @accountId",
            new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>When the watch last looked at any account; null before its first pass.</summary>
    public async Task<DateTimeOffset?> LastCheckedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var last = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(checked_ms) FROM watch_accounts", cancellationToken: cancellationToken));
        return last is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Replaces the account's findings with <paramref name="findings"/> (their Seq numbers them in order), read at <paramref name="at"/>.</summary>
    public async Task ReplaceAsync(string accountId, DateTimeOffset at, IReadOnlyList<WatchFindingRow> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var ms = at.ToUnixTimeMilliseconds();
        await store.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM watch_findings WHERE account_id = @accountId", new { accountId }, transaction, cancellationToken: cancellationToken));
            foreach (var finding in findings)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO watch_findings (account_id, seq, check_id, severity, resource, why, fix, first_seen_ms) " +
                    "VALUES (@AccountId, @Seq, @CheckId, @Severity, @Resource, @Why, @Fix, @FirstSeenMs)",
                    finding with { AccountId = accountId }, transaction, cancellationToken: cancellationToken));
            }

            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO watch_accounts (account_id, checked_ms, read_ms, error) VALUES (@accountId, @ms, @ms, NULL) " +
                "ON CONFLICT (account_id) DO UPDATE SET checked_ms = excluded.checked_ms, read_ms = excluded.read_ms, error = NULL",
                new { accountId, ms }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    /// <summary>Records that the account could not be read at <paramref name="at"/>, keeping the findings of its last read.</summary>
    public async Task FailedAsync(string accountId, DateTimeOffset at, string error, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO watch_accounts (account_id, checked_ms, read_ms, error) VALUES (@accountId, @ms, NULL, @error) " +
            "ON CONFLICT (account_id) DO UPDATE SET checked_ms = excluded.checked_ms, error = excluded.error",
            new { accountId, ms = at.ToUnixTimeMilliseconds(), error }, cancellationToken: cancellationToken));
    }
}
