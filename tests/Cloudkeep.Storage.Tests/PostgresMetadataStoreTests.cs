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

    public static TheoryData<string, Exception, bool> Failures() => new()
    {
        { "connection failure (08006)", new Npgsql.PostgresException("terminating connection", "FATAL", "FATAL", "08006"), true },
        { "administrator shutdown (57P01)", new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "starting up (57P03)", new Npgsql.PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { "no connection slot (53300)", new Npgsql.PostgresException("too many clients already", "FATAL", "FATAL", "53300"), true },
        { "refused socket", new Npgsql.NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111)), true },
        { "wrapped refused socket", new InvalidOperationException("outer", new Npgsql.NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111))), true },
        { "serialization failure (40001)", new Npgsql.PostgresException("could not serialize access", "ERROR", "ERROR", "40001"), false },
        { "unique violation (23505)", new Npgsql.PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "syntax error (42601)", new Npgsql.PostgresException("syntax error", "ERROR", "ERROR", "42601"), false },
        { "not a database error", new InvalidOperationException("bug"), false },
    };

    /// <summary>What the server answers 503 for (the store is out of reach) and what stays its own fault.</summary>
    [Theory]
    [MemberData(nameof(Failures))]
    public async Task IsUnavailable_ConnectionStatesOnly(string what, Exception failure, bool unavailable)
    {
        await using var store = new PostgresMetadataStore("postgres://postgres@127.0.0.1:1/none");
        Assert.True(store.IsUnavailable(failure) == unavailable, what);
    }
}
