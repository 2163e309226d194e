using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>Named estate-wide values (the management account id, the bootstrap marker).</summary>
public sealed class SettingsRepository
{
    private readonly IMetadataStore _store;

    public SettingsRepository(IMetadataStore store)
    {
        _store = store;
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT value FROM settings WHERE name = @name", new { name });
    }

    /// <summary>Sets a value only if it is unset; returns the value that is stored afterwards (first writer wins).</summary>
    public async Task<string> GetOrSetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", new { name, value });
        return await connection.QuerySingleAsync<string>("SELECT value FROM settings WHERE name = @name", new { name });
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value", new { name, value });
    }
}
