using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>One SQLite-backed server shared by the tests of a class (they do not change its state).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
