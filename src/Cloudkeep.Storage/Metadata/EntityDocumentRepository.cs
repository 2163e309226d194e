using System.Text.Json;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// Stores IAM entities as JSON documents (see <see cref="Migrations"/> 100). Writes are
/// compare-and-set on a revision so two concurrent changes to one entity never lose an update.
/// </summary>
public sealed class EntityDocumentRepository
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly IMetadataStore _store;

    public EntityDocumentRepository(IMetadataStore store)
    {
        _store = store;
    }

    public IMetadataStore Store => _store;

    public sealed record Stored<T>(T Value, long Revision);

    public static string Key(string name) => name.ToUpperInvariant();

    public async Task<Stored<T>?> GetAsync<T>(string accountId, string kind, string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT body AS Body, revision AS Revision FROM iam_entities WHERE account_id = @accountId AND kind = @kind AND name_key = @key",
            new { accountId, kind, key = Key(name) });
        return row is null ? null : new Stored<T>(JsonSerializer.Deserialize<T>(row.Body, Json)!, row.Revision);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entities of a kind in name-key order, starting at <paramref name="fromKey"/>
    /// (included or not): one page of a listing read by the index, however many entities the account has.
    /// </summary>
    public async Task<IReadOnlyList<T>> ListFromAsync<T>(string accountId, string kind, string? fromKey, bool inclusive, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var after = fromKey is null ? "" : inclusive ? "AND name_key >= @fromKey " : "AND name_key > @fromKey ";
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT body FROM iam_entities WHERE account_id = @accountId AND kind = @kind {after}ORDER BY name_key LIMIT @limit",
            new { accountId, kind, fromKey, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(b => JsonSerializer.Deserialize<T>(b, Json)!)];
    }

    public async Task<IReadOnlyList<T>> ListAsync<T>(string accountId, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(
            "SELECT body FROM iam_entities WHERE account_id = @accountId AND kind = @kind ORDER BY name_key",
            new { accountId, kind });
        return [.. rows.Select(b => JsonSerializer.Deserialize<T>(b, Json)!)];
    }

    /// <summary>Inserts a new entity; false when one of that kind and name (or id) exists.</summary>
    public async Task<bool> TryInsertAsync<T>(string accountId, string kind, string name, string entityId, T value, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _store.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO iam_entities (account_id, kind, name_key, entity_id, body, revision) VALUES (@accountId, @kind, @key, @entityId, @body, 1)",
                new { accountId, kind, key = Key(name), entityId, body = JsonSerializer.Serialize(value, Json) });
            return true;
        }
        catch (Exception e) when (_store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Replaces an entity if it still has <paramref name="revision"/>; false when it changed or vanished meanwhile.</summary>
    public async Task<bool> TryReplaceAsync<T>(string accountId, string kind, string name, T value, long revision, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE iam_entities SET body = @body, revision = revision + 1 WHERE account_id = @accountId AND kind = @kind AND name_key = @key AND revision = @revision",
            new { accountId, kind, key = Key(name), body = JsonSerializer.Serialize(value, Json), revision }) == 1;
    }

    /// <summary>
    /// Renames and replaces an entity in one statement, if it still has <paramref name="revision"/>.
    /// Null when the new name is taken (the primary key refuses it), false when the entity changed.
    /// </summary>
    public async Task<bool?> TryRenameAsync<T>(string accountId, string kind, string oldName, string newName, T value, long revision, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _store.OpenAsync(cancellationToken);
            return await connection.ExecuteAsync(
                "UPDATE iam_entities SET name_key = @newKey, body = @body, revision = revision + 1 WHERE account_id = @accountId AND kind = @kind AND name_key = @oldKey AND revision = @revision",
                new { accountId, kind, oldKey = Key(oldName), newKey = Key(newName), body = JsonSerializer.Serialize(value, Json), revision }) == 1;
        }
        catch (Exception e) when (_store.IsUniqueViolation(e))
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string accountId, string kind, string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "DELETE FROM iam_entities WHERE account_id = @accountId AND kind = @kind AND name_key = @key",
            new { accountId, kind, key = Key(name) }) == 1;
    }

    private sealed class Row
    {
        public string AccountId { get; set; } = "";

        public string Body { get; set; } = "";

        public long Revision { get; set; }
    }
}
