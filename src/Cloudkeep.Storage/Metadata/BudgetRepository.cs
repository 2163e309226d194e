using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>Budgets as JSON documents keyed by account and name; the document's shape belongs to the Budgets service.</summary>
public sealed class BudgetRepository(IMetadataStore store)
{
    /// <summary>Adds a budget; false when the account already has one of that name.</summary>
    public Task<bool> InsertAsync(string accountId, string name, string document, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "INSERT INTO budgets (account_id, budget_name, document) VALUES (@accountId, @name, @document) ON CONFLICT (account_id, budget_name) DO NOTHING",
                new { accountId, name, document },
                transaction) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        store.InKeyTransactionAsync(
            "budgets\n" + accountId + "\n" + name,
            async (connection, transaction) => await connection.ExecuteAsync(
                "DELETE FROM budgets WHERE account_id = @accountId AND budget_name = @name",
                new { accountId, name },
                transaction) == 1,
            cancellationToken);

    public async Task<string?> GetAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT document FROM budgets WHERE account_id = @accountId AND budget_name = @name",
            new { accountId, name });
    }

    /// <summary>An account's budgets (every account's when null), in name order.</summary>
    public async Task<IReadOnlyList<(string AccountId, string Document)>> ListAsync(string? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        // Two statements rather than "@accountId IS NULL": PostgreSQL cannot type an untyped null parameter.
        var rows = accountId is null
            ? await connection.QueryAsync<(string, string)>("SELECT account_id, document FROM budgets ORDER BY account_id, budget_name")
            : await connection.QueryAsync<(string, string)>("SELECT account_id, document FROM budgets WHERE account_id = @accountId ORDER BY budget_name", new { accountId });
        return [.. rows];
    }

    /// <summary>
    /// Reads, changes and writes one budget as one step that no other change of the same budget can
    /// interleave with (two CreateNotification calls, or an edit racing the evaluation, would
    /// otherwise each write back the document they read and lose the other's change). <paramref name="change"/>
    /// returns the new document and the alert messages to queue with it, or null to leave both as
    /// they are; it may run again if the engine asks to retry, so it must only compute. False when
    /// there is no such budget.
    /// </summary>
    public Task<bool> UpdateAsync(string accountId, string name, Func<string, (string Document, IReadOnlyList<string> Outbox)?> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return store.InKeyTransactionAsync(
            "budgets\n" + accountId + "\n" + name,
            async (connection, transaction) =>
            {
                var current = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT document FROM budgets WHERE account_id = @accountId AND budget_name = @name" + (store.Engine == "postgres" ? " FOR UPDATE" : ""),
                    new { accountId, name },
                    transaction);
                if (current is null)
                {
                    return false;
                }

                if (change(current) is not { } changed)
                {
                    return true;
                }

                await connection.ExecuteAsync(
                    "UPDATE budgets SET document = @document WHERE account_id = @accountId AND budget_name = @name",
                    new { accountId, name, document = changed.Document },
                    transaction);
                foreach (var message in changed.Outbox)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO budget_outbox (id, account_id, budget_name, created_at, attempts, message) VALUES (@id, @accountId, @name, @created, 0, @message)",
                        new { id = Guid.NewGuid().ToString("N"), accountId, name, created = now.ToUnixTimeMilliseconds(), message },
                        transaction);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>Queued budget alerts, oldest first.</summary>
    public async Task<IReadOnlyList<BudgetOutboxRecord>> OutboxAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, string, string, long, int, string)>(
            "SELECT id, account_id, budget_name, created_at, attempts, message FROM budget_outbox ORDER BY created_at, id LIMIT @limit", new { limit });
        return [.. rows.Select(r => new BudgetOutboxRecord(r.Item1, r.Item2, r.Item3, DateTimeOffset.FromUnixTimeMilliseconds(r.Item4), r.Item5, r.Item6))];
    }

    /// <summary>A queued alert handed over (or given up): it goes.</summary>
    public async Task FinishOutboxAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM budget_outbox WHERE id = @id", new { id });
    }

    /// <summary>A queued alert whose delivery failed: counted, tried again on the next pass.</summary>
    public async Task FailOutboxAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE budget_outbox SET attempts = attempts + 1 WHERE id = @id", new { id });
    }
}

/// <summary>A budget alert waiting in the outbox: the message (JSON) says where it goes and what it says.</summary>
public sealed record BudgetOutboxRecord(string Id, string AccountId, string BudgetName, DateTimeOffset CreatedAt, int Attempts, string Message);
