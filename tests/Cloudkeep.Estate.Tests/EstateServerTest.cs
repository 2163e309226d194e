using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// A real server for each test and a harness that runs plan, apply and export against it,
/// optionally as an IAM administrator (root cannot reach member accounts), then whatever set-up
/// the test class adds.
/// </summary>
public abstract class EstateServerTest : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    internal EstateHarness Harness { get; private set; } = null!;

    /// <summary>The server's clock; null for the real one.</summary>
    protected virtual TimeProvider? Time => null;

    /// <summary>Whether the commands run as an IAM user with AdministratorAccess instead of root.</summary>
    protected virtual bool AsAdministrator => false;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(time: Time);
        Harness = new EstateHarness(Server);
        if (AsAdministrator)
        {
            await Harness.UseAdministratorAsync();
        }

        await SetUpAsync();
    }

    public async Task DisposeAsync()
    {
        TearDown();
        Harness.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The class's own set-up, after the server and the harness exist.</summary>
    protected virtual Task SetUpAsync() => Task.CompletedTask;

    /// <summary>The class's own clean-up, before the harness and the server go.</summary>
    protected virtual void TearDown()
    {
    }
}
