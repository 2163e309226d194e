using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>
/// One server whose clock stands still at a time with a fraction of a second (close enough to now for SigV4), so
/// everything a test creates carries the same instant and any sub-second precision shows.
/// </summary>
public sealed class FrozenClockFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Instant =
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMilliseconds(678);

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(time: new FakeTimeProvider(Instant));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
