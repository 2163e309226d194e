using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;

namespace Cloudkeep.Storage.Tests;

public sealed class PostgresMetadataStoreTests : MetadataStoreContract
{
    protected override async Task<IMetadataStore> CreateStoreAsync() =>
        new PostgresMetadataStore(await PostgresServer.CreateDatabaseAsync());

    [Theory]
    [InlineData("postgres://u:p%40ss@db.example:6543/estate?sslmode=disable", "db.example", 6543, "estate", "u", "p@ss")]
    [InlineData("postgresql://u@h/d", "h", 5432, "d", "u", null)]
    public void ToConnectionString_Url_MapsEveryPart(string url, string host, int port, string database, string user, string? password)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresMetadataStore.ToConnectionString(url));
        Assert.Equal((host, port, database, user, password), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }
}
