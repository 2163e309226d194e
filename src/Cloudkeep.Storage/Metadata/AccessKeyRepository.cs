using Dapper;

namespace Cloudkeep.Storage.Metadata;

public sealed class AccessKeyRepository
{
    private const string Columns =
        "access_key_id AS AccessKeyId, account_id AS AccountId, user_name AS UserName, secret_sealed AS SecretSealed, status AS Status, created_at AS CreatedAt";

    private readonly IMetadataStore _store;

    public AccessKeyRepository(IMetadataStore store)
    {
        _store = store;
    }

    public async Task CreateAsync(AccessKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO access_keys (access_key_id, account_id, user_name, secret_sealed, status, created_at) VALUES (@AccessKeyId, @AccountId, @UserName, @SecretSealed, @Status, @CreatedAt)",
            new { key.AccessKeyId, key.AccountId, key.UserName, key.SecretSealed, key.Status, CreatedAt = key.CreatedAt.ToUnixTimeSeconds() });
    }

    public async Task<AccessKeyRecord?> GetAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM access_keys WHERE access_key_id = @accessKeyId", new { accessKeyId });
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<AccessKeyRecord>> ListForOwnerAsync(string accountId, string? userName, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var sql = userName is null
            ? $"SELECT {Columns} FROM access_keys WHERE account_id = @accountId AND user_name IS NULL ORDER BY created_at"
            : $"SELECT {Columns} FROM access_keys WHERE account_id = @accountId AND user_name = @userName ORDER BY created_at";
        var rows = await connection.QueryAsync<Row>(sql, new { accountId, userName });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public sealed record LastUse(DateTimeOffset? When, string? Service, string? Region);

    public async Task<LastUse?> GetLastUseAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LastUseRow>(
            "SELECT last_used_at AS At, last_used_service AS Service, last_used_region AS Region FROM access_keys WHERE access_key_id = @accessKeyId", new { accessKeyId });
        return row is null ? null : new LastUse(row.At is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, row.Service, row.Region);
    }

    private sealed class LastUseRow
    {
        public long? At { get; set; }

        public string? Service { get; set; }

        public string? Region { get; set; }
    }

    /// <summary>Moves a renamed user's keys to its new name; returns the key ids moved.</summary>
    public async Task<IReadOnlyList<string>> RenameOwnerAsync(string accountId, string oldUserName, string newUserName, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var ids = (await connection.QueryAsync<string>("SELECT access_key_id FROM access_keys WHERE account_id = @accountId AND user_name = @oldUserName", new { accountId, oldUserName })).ToList();
        await connection.ExecuteAsync("UPDATE access_keys SET user_name = @newUserName WHERE account_id = @accountId AND user_name = @oldUserName", new { accountId, oldUserName, newUserName });
        return ids;
    }

    public async Task<bool> SetStatusAsync(string accessKeyId, string status, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE access_keys SET status = @status WHERE access_key_id = @accessKeyId", new { accessKeyId, status }) == 1;
    }

    public async Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM access_keys WHERE access_key_id = @accessKeyId", new { accessKeyId }) == 1;
    }

    public async Task RecordUseAsync(string accessKeyId, DateTimeOffset when, string service, string region, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE access_keys SET last_used_at = @at, last_used_service = @service, last_used_region = @region " +
            "WHERE access_key_id = @accessKeyId AND (last_used_at IS NULL OR last_used_at <= @at)",
            new { accessKeyId, at = when.ToUnixTimeSeconds(), service, region });
    }

    private sealed class Row
    {
        public string AccessKeyId { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string? UserName { get; set; }

        public string SecretSealed { get; set; } = "";

        public string Status { get; set; } = "";

        public long CreatedAt { get; set; }

        public AccessKeyRecord ToRecord() =>
            new(AccessKeyId, AccountId, UserName, SecretSealed, Status, DateTimeOffset.FromUnixTimeSeconds(CreatedAt));
    }
}
