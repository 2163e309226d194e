using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>One server for a CloudWatch test class; each test uses its own namespace or alarm names.</summary>
public sealed class CloudWatchFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public Cli Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        Root = Cli.Root(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>An ISO 8601 UTC time, as the CLI takes it.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
