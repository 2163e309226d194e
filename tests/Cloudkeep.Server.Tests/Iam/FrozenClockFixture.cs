using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>
/// One server whose clock stands still at a time with a fraction of a second, so everything a test creates
/// carries the same instant and any sub-second precision shows. Each test stops the clock at its own start
/// (<see cref="Freeze"/>): xUnit may make the fixture long before the class's tests run (a slow full run took 19
/// minutes), and SigV4 refuses requests signed more than 15 minutes from the server's clock.
/// </summary>
public sealed class FrozenClockFixture : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(Present());

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(time: _clock);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Stops the server's clock at the present whole second plus 678 ms (never moving it back) and returns that instant.</summary>
    public DateTimeOffset Freeze()
    {
        var present = Present();
        if (present > _clock.GetUtcNow())
        {
            _clock.SetUtcNow(present);
        }

        return _clock.GetUtcNow();
    }

    private static DateTimeOffset Present() =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMilliseconds(678);
}
