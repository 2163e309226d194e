using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>The console's sign-in state (failures for throttling, signed-out sessions) on SQLite and PostgreSQL alike.</summary>
public abstract partial class MetadataStoreContract
{
    [Fact]
    public async Task ConsoleSignIn_FailuresCountAndClear_SignOutsLastUntilTheyLapse()
    {
        var store = new ConsoleSignInRepository(Store);
        var first = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
        Assert.Null(await store.GetFailuresAsync("user:Zoë", CancellationToken.None));
        await store.RecordFailureAsync("user:Zoë", first, CancellationToken.None);
        await store.RecordFailureAsync("user:Zoë", first.AddSeconds(5), CancellationToken.None);
        await store.RecordFailureAsync("ip:192.0.2.1", first, CancellationToken.None);
        Assert.Equal((2, first.AddSeconds(5)), await store.GetFailuresAsync("user:Zoë", CancellationToken.None));
        Assert.Null(await store.GetFailuresAsync("user:zoë", CancellationToken.None));
        await store.ClearFailuresAsync("user:Zoë", CancellationToken.None);
        Assert.Null(await store.GetFailuresAsync("user:Zoë", CancellationToken.None));
        Assert.Equal(1, (await store.GetFailuresAsync("ip:192.0.2.1", CancellationToken.None))!.Value.Failures);

        await store.SignOutAsync("session-a", first.AddHours(1), first, CancellationToken.None);
        await store.SignOutAsync("session-a", first.AddHours(1), first, CancellationToken.None);
        Assert.True(await store.IsSignedOutAsync("session-a", CancellationToken.None));
        Assert.False(await store.IsSignedOutAsync("session-b", CancellationToken.None));

        // A later sign-out drops the entries whose sessions have expired by then.
        await store.SignOutAsync("session-b", first.AddHours(3), first.AddHours(2), CancellationToken.None);
        Assert.False(await store.IsSignedOutAsync("session-a", CancellationToken.None));
        Assert.True(await store.IsSignedOutAsync("session-b", CancellationToken.None));
    }
}
