using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>Leases for background jobs: one holder at a time across nodes sharing the store, the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly DateTimeOffset LeaseTime = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Fact]
    public async Task Lease_IsHeldByOneNodeUntilItLapsesOrIsReleased()
    {
        var leases = new LeaseRepository(Store);
        var until = LeaseTime.AddMinutes(5);
        Assert.True(await leases.TryTakeAsync("job", "node-a", LeaseTime, until, CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("job", "node-b", LeaseTime.AddMinutes(1), until.AddMinutes(1), CancellationToken.None));
        Assert.True(await leases.TryTakeAsync("job", "node-a", LeaseTime.AddMinutes(1), until.AddMinutes(1), CancellationToken.None));
        Assert.True(await leases.TryTakeAsync("other-job", "node-b", LeaseTime, until, CancellationToken.None));

        // Lapsed: node-a stopped renewing, so node-b takes over.
        Assert.True(await leases.TryTakeAsync("job", "node-b", until.AddMinutes(2), until.AddMinutes(7), CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("job", "node-a", until.AddMinutes(3), until.AddMinutes(8), CancellationToken.None));

        // Released: free at once, but only by its holder.
        await leases.ReleaseAsync("job", "node-a", CancellationToken.None);
        Assert.False(await leases.TryTakeAsync("job", "node-a", until.AddMinutes(3), until.AddMinutes(8), CancellationToken.None));
        await leases.ReleaseAsync("job", "node-b", CancellationToken.None);
        Assert.True(await leases.TryTakeAsync("job", "node-a", until.AddMinutes(3), until.AddMinutes(8), CancellationToken.None));
    }

    [Fact]
    public async Task Lease_TakenConcurrentlyByManyNodes_HasExactlyOneHolder()
    {
        var leases = new LeaseRepository(Store);
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            leases.TryTakeAsync("race", "node-" + i, LeaseTime, LeaseTime.AddMinutes(5), CancellationToken.None)));
        Assert.Equal(1, taken.Count(t => t));
    }
}
