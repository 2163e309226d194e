using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>KMS keys, their sealed key-material versions, aliases and tags.</summary>
public sealed class KmsKeyRepository
{
    private const string KeyColumns =
        "key_id AS KeyId, account_id AS AccountId, region AS Region, description AS Description, key_state AS KeyState, created_at AS CreatedAt, " +
        "deletion_date AS DeletionDate, policy AS Policy, policy_version AS PolicyVersion, rotation_enabled AS RotationEnabled, " +
        "rotation_period_days AS RotationPeriodDays, next_rotation_at AS NextRotationAt, current_material_version AS CurrentMaterialVersion";

    private const string AliasColumns =
        "account_id AS AccountId, region AS Region, alias_name AS AliasName, key_id AS KeyId, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private readonly IMetadataStore _store;

    public KmsKeyRepository(IMetadataStore store)
    {
        _store = store;
    }

    public Task CreateKeyAsync(KmsKeyRecord key, KmsKeyMaterialRecord material, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(tags);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    "INSERT INTO kms_keys (key_id, account_id, region, description, key_state, created_at, deletion_date, policy, policy_version, rotation_enabled, rotation_period_days, next_rotation_at, current_material_version) " +
                    "VALUES (@KeyId, @AccountId, @Region, @Description, @KeyState, @CreatedAt, NULL, @Policy, @PolicyVersion, @RotationEnabled, @RotationPeriodDays, @NextRotationAt, @CurrentMaterialVersion)",
                    new
                    {
                        key.KeyId,
                        key.AccountId,
                        key.Region,
                        key.Description,
                        key.KeyState,
                        CreatedAt = key.CreatedAt.ToUnixTimeSeconds(),
                        key.Policy,
                        key.PolicyVersion,
                        RotationEnabled = key.RotationEnabled ? 1 : 0,
                        key.RotationPeriodDays,
                        NextRotationAt = key.NextRotationAt?.ToUnixTimeSeconds(),
                        key.CurrentMaterialVersion,
                    },
                    transaction);
                await InsertMaterialAsync(connection, transaction, material);
                await UpsertTagsAsync(connection, transaction, key.KeyId, tags);
                return true;
            },
            cancellationToken);
    }

    public async Task<KmsKeyRecord?> GetKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>($"SELECT {KeyColumns} FROM kms_keys WHERE key_id = @keyId", new { keyId });
        return row?.ToRecord();
    }

    /// <summary>The account's keys in a region ordered by key id, starting after <paramref name="afterKeyId"/>.</summary>
    public async Task<IReadOnlyList<KmsKeyRecord>> ListKeysAsync(string accountId, string region, string? afterKeyId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(
            $"SELECT {KeyColumns} FROM kms_keys WHERE account_id = @accountId AND region = @region AND key_id > @after ORDER BY key_id LIMIT @limit",
            new { accountId, region, after = afterKeyId ?? "", limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> SetStateAsync(string keyId, string keyState, DateTimeOffset? deletionDate, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE kms_keys SET key_state = @keyState, deletion_date = @deletion WHERE key_id = @keyId",
            new { keyId, keyState, deletion = deletionDate?.ToUnixTimeSeconds() }) == 1;
    }

    /// <summary>Replaces the key policy; the policy version goes up so compiled forms are never reused.</summary>
    public async Task<bool> SetPolicyAsync(string keyId, string policy, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE kms_keys SET policy = @policy, policy_version = policy_version + 1 WHERE key_id = @keyId",
            new { keyId, policy }) == 1;
    }

    public async Task<bool> SetRotationAsync(string keyId, bool enabled, int? periodDays, DateTimeOffset? nextRotationAt, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE kms_keys SET rotation_enabled = @enabled, rotation_period_days = @periodDays, next_rotation_at = @next WHERE key_id = @keyId",
            new { keyId, enabled = enabled ? 1 : 0, periodDays, next = nextRotationAt?.ToUnixTimeSeconds() }) == 1;
    }

    /// <summary>
    /// Adds the next key-material version and makes it current, unless another node rotated since
    /// <paramref name="expectedCurrentVersion"/> was read. Returns the version now current.
    /// </summary>
    public Task<int> AddMaterialAsync(string keyId, int expectedCurrentVersion, string materialSealed, DateTimeOffset createdAt, DateTimeOffset? nextRotationAt, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var current = await connection.QuerySingleAsync<int>(
                    "SELECT current_material_version FROM kms_keys WHERE key_id = @keyId", new { keyId }, transaction);
                if (current != expectedCurrentVersion)
                {
                    return current;
                }

                var version = current + 1;
                await InsertMaterialAsync(connection, transaction, new KmsKeyMaterialRecord(keyId, version, materialSealed, createdAt));
                await connection.ExecuteAsync(
                    "UPDATE kms_keys SET current_material_version = @version, next_rotation_at = @next WHERE key_id = @keyId",
                    new { keyId, version, next = nextRotationAt?.ToUnixTimeSeconds() },
                    transaction);
                return version;
            },
            cancellationToken);

    public async Task<KmsKeyMaterialRecord?> GetMaterialAsync(string keyId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MaterialRow>(
            "SELECT key_id AS KeyId, version AS Version, material_sealed AS MaterialSealed, created_at AS CreatedAt FROM kms_key_materials WHERE key_id = @keyId AND version = @version",
            new { keyId, version });
        return row?.ToRecord();
    }

    /// <summary>Deletes a key with its material, aliases and tags (the end of its deletion window).</summary>
    public Task DeleteKeyAsync(string keyId, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync("DELETE FROM kms_key_tags WHERE key_id = @keyId", new { keyId }, transaction);
                await connection.ExecuteAsync("DELETE FROM kms_aliases WHERE key_id = @keyId", new { keyId }, transaction);
                await connection.ExecuteAsync("DELETE FROM kms_key_materials WHERE key_id = @keyId", new { keyId }, transaction);
                return await connection.ExecuteAsync("DELETE FROM kms_keys WHERE key_id = @keyId", new { keyId }, transaction);
            },
            cancellationToken);

    /// <summary>Creates an alias; false when the name is already taken in that account and region.</summary>
    public async Task<bool> CreateAliasAsync(KmsAliasRecord alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        await using var connection = await _store.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO kms_aliases (account_id, region, alias_name, key_id, created_at, updated_at) VALUES (@AccountId, @Region, @AliasName, @KeyId, @CreatedAt, @UpdatedAt)",
                new { alias.AccountId, alias.Region, alias.AliasName, alias.KeyId, CreatedAt = alias.CreatedAt.ToUnixTimeSeconds(), UpdatedAt = alias.UpdatedAt.ToUnixTimeSeconds() });
            return true;
        }
        catch (DbException e) when (_store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<KmsAliasRecord?> GetAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AliasRow>(
            $"SELECT {AliasColumns} FROM kms_aliases WHERE account_id = @accountId AND region = @region AND alias_name = @aliasName",
            new { accountId, region, aliasName });
        return row?.ToRecord();
    }

    public async Task<bool> UpdateAliasAsync(string accountId, string region, string aliasName, string keyId, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE kms_aliases SET key_id = @keyId, updated_at = @at WHERE account_id = @accountId AND region = @region AND alias_name = @aliasName",
            new { accountId, region, aliasName, keyId, at = updatedAt.ToUnixTimeSeconds() }) == 1;
    }

    public async Task<bool> DeleteAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "DELETE FROM kms_aliases WHERE account_id = @accountId AND region = @region AND alias_name = @aliasName",
            new { accountId, region, aliasName }) == 1;
    }

    /// <summary>The account's aliases in a region (only those of <paramref name="keyId"/> when given), ordered by name.</summary>
    public async Task<IReadOnlyList<KmsAliasRecord>> ListAliasesAsync(string accountId, string region, string? keyId, string? afterName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var filter = keyId is null ? "" : " AND key_id = @keyId";
        var rows = await connection.QueryAsync<AliasRow>(
            $"SELECT {AliasColumns} FROM kms_aliases WHERE account_id = @accountId AND region = @region AND alias_name > @after{filter} ORDER BY alias_name LIMIT @limit",
            new { accountId, region, keyId, after = afterName ?? "", limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetTagsAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Value)>(
            "SELECT tag_key, tag_value FROM kms_key_tags WHERE key_id = @keyId ORDER BY tag_key", new { keyId });
        return [.. rows.Select(r => KeyValuePair.Create(r.Key, r.Value))];
    }

    /// <summary>Adds or replaces tags, and removes <paramref name="remove"/>, in one transaction.</summary>
    public Task ChangeTagsAsync(string keyId, IReadOnlyList<KeyValuePair<string, string>> upsert, IReadOnlyList<string> remove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        ArgumentNullException.ThrowIfNull(remove);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await UpsertTagsAsync(connection, transaction, keyId, upsert);
                foreach (var tagKey in remove)
                {
                    await connection.ExecuteAsync("DELETE FROM kms_key_tags WHERE key_id = @keyId AND tag_key = @tagKey", new { keyId, tagKey }, transaction);
                }

                return true;
            },
            cancellationToken);
    }

    private static Task<int> InsertMaterialAsync(DbConnection connection, DbTransaction transaction, KmsKeyMaterialRecord material) =>
        connection.ExecuteAsync(
            "INSERT INTO kms_key_materials (key_id, version, material_sealed, created_at) VALUES (@KeyId, @Version, @MaterialSealed, @CreatedAt)",
            new { material.KeyId, material.Version, material.MaterialSealed, CreatedAt = material.CreatedAt.ToUnixTimeSeconds() },
            transaction);

    private static async Task UpsertTagsAsync(DbConnection connection, DbTransaction transaction, string keyId, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        foreach (var (tagKey, tagValue) in tags)
        {
            await connection.ExecuteAsync(
                "INSERT INTO kms_key_tags (key_id, tag_key, tag_value) VALUES (@keyId, @tagKey, @tagValue) ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
                new { keyId, tagKey, tagValue },
                transaction);
        }
    }

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        public string Description { get; set; } = "";

        public string KeyState { get; set; } = "";

        public long CreatedAt { get; set; }

        public long? DeletionDate { get; set; }

        public string Policy { get; set; } = "";

        public long PolicyVersion { get; set; }

        public long RotationEnabled { get; set; }

        public long? RotationPeriodDays { get; set; }

        public long? NextRotationAt { get; set; }

        public long CurrentMaterialVersion { get; set; }

        public KmsKeyRecord ToRecord() => new(
            KeyId,
            AccountId,
            Region,
            Description,
            KeyState,
            DateTimeOffset.FromUnixTimeSeconds(CreatedAt),
            DeletionDate is { } d ? DateTimeOffset.FromUnixTimeSeconds(d) : null,
            Policy,
            (int)PolicyVersion,
            RotationEnabled != 0,
            RotationPeriodDays is { } p ? (int)p : null,
            NextRotationAt is { } n ? DateTimeOffset.FromUnixTimeSeconds(n) : null,
            (int)CurrentMaterialVersion);
    }

    private sealed class MaterialRow
    {
        public string KeyId { get; set; } = "";

        public long Version { get; set; }

        public string MaterialSealed { get; set; } = "";

        public long CreatedAt { get; set; }

        public KmsKeyMaterialRecord ToRecord() => new(KeyId, (int)Version, MaterialSealed, DateTimeOffset.FromUnixTimeSeconds(CreatedAt));
    }

    private sealed class AliasRow
    {
        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        public string AliasName { get; set; } = "";

        public string KeyId { get; set; } = "";

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public KmsAliasRecord ToRecord() =>
            new(AccountId, Region, AliasName, KeyId, DateTimeOffset.FromUnixTimeSeconds(CreatedAt), DateTimeOffset.FromUnixTimeSeconds(UpdatedAt));
    }
}
