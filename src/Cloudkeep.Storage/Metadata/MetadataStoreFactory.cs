namespace Cloudkeep.Storage.Metadata;

/// <summary>Picks the engine from --database: empty means SQLite in the data directory.</summary>
public static class MetadataStoreFactory
{
    public static IMetadataStore Create(string? database, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(database))
        {
            return new SqliteMetadataStore(Path.Combine(dataDirectory, "cloudkeep.db"));
        }

        if (database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || database.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return new PostgresMetadataStore(database);
        }

        if (database.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteMetadataStore(database["sqlite:".Length..]);
        }

        throw new ArgumentException("--database must be empty (SQLite in the data directory), sqlite:PATH, or a postgres:// URL.");
    }
}
