namespace Cloudkeep.Testing;

/// <summary>The <c>database:</c> a test server on an engine is started with.</summary>
public static class TestDatabase
{
    /// <summary>Null for SQLite (a file in the server's data directory), else a fresh PostgreSQL database of its own.</summary>
    public static async Task<string?> CreateAsync(MetadataEngine engine) =>
        engine == MetadataEngine.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
}
