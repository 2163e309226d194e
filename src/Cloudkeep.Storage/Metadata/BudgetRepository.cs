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

    /// <summary>Replaces a budget's document; false when there is no such budget.</summary>
    public Task<bool> ReplaceAsync(string accountId, string name, string document, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE budgets SET document = @document WHERE account_id = @accountId AND budget_name = @name",
                new { accountId, name, document },
                transaction) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
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
}
