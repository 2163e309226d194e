using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>One SQLite-backed server shared by the tests of a class (they do not change its state).</summary>
public class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The same over a PostgreSQL database of its own.</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
