using Dapper;

namespace Cloudkeep.Storage.Metadata;

public sealed class AccountRepository
{
    private readonly IMetadataStore _store;

    public AccountRepository(IMetadataStore store)
    {
        _store = store;
    }

    public async Task<bool> TryCreateAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            await using var connection = await _store.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO accounts (account_id, name, email, status, is_management, created_at) VALUES (@AccountId, @Name, @Email, @Status, @IsManagement, @CreatedAt)",
                new { account.AccountId, account.Name, account.Email, account.Status, IsManagement = account.IsManagement ? 1 : 0, CreatedAt = account.CreatedAt.ToUnixTimeSeconds() });
            return true;
        }
        catch (Exception e) when (_store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<AccountRecord?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
            "SELECT account_id AS AccountId, name AS Name, email AS Email, status AS Status, is_management AS IsManagement, created_at AS CreatedAt FROM accounts WHERE account_id = @accountId",
            new { accountId });
        return row?.ToRecord();
    }

    /// <summary>The account whose root user signs in with this e-mail address (compared without regard to case), if any.</summary>
    public async Task<AccountRecord?> GetByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccountRow>(
            "SELECT account_id AS AccountId, name AS Name, email AS Email, status AS Status, is_management AS IsManagement, created_at AS CreatedAt FROM accounts WHERE LOWER(email) = LOWER(@email)",
            new { email });
        return rows.Select(r => r.ToRecord()).FirstOrDefault();
    }

    public async Task<IReadOnlyList<AccountRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccountRow>(
            "SELECT account_id AS AccountId, name AS Name, email AS Email, status AS Status, is_management AS IsManagement, created_at AS CreatedAt FROM accounts ORDER BY created_at, account_id");
        return [.. rows.Select(r => r.ToRecord())];
    }

    private sealed class AccountRow
    {
        public string AccountId { get; set; } = "";

        public string Name { get; set; } = "";

        public string Email { get; set; } = "";

        public string Status { get; set; } = "";

        public long IsManagement { get; set; }

        public long CreatedAt { get; set; }

        public AccountRecord ToRecord() =>
            new(AccountId, Name, Email, Status, IsManagement != 0, DateTimeOffset.FromUnixTimeSeconds(CreatedAt));
    }
}
