using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>The alert outbox and the replication queue: what background jobs on any node read and move on, the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static AlertOutboxRow Outbox(string id, string alertId, long createdMs, long dueMs) =>
        new(id, alertId, "email", """{"title":"root sign-in"}""", createdMs, 0, dueMs, AlertOutboxRow.Pending, null, null);

    [Fact]
    public async Task AlertOutbox_DueRowsLeaveByTheirOutcome_AndTheNewestAreListedWhateverTheirState()
    {
        var outbox = new AlertOutboxRepository(Store);
        await outbox.AddAsync([Outbox("o1", "a1", 1_000, 1_000), Outbox("o2", "a1", 2_000, 5_000), Outbox("o3", "a2", 3_000, 3_000)], CancellationToken.None);

        Assert.Equal(["o1", "o3"], (await outbox.DueAsync(DateTimeOffset.FromUnixTimeMilliseconds(4_000), 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["o1"], (await outbox.DueAsync(DateTimeOffset.FromUnixTimeMilliseconds(4_000), 1, CancellationToken.None)).Select(r => r.Id));

        // One delivered, one dead; a second outcome for a row already finished (another node's) changes nothing.
        Assert.True(await outbox.RecordAsync("o1", AlertOutboxRow.Delivered, 1, 1_000, null, 4_000, CancellationToken.None));
        Assert.True(await outbox.RecordAsync("o3", AlertOutboxRow.Dead, 8, 3_000, "550 mailbox unavailable", 4_100, CancellationToken.None));
        Assert.False(await outbox.RecordAsync("o1", AlertOutboxRow.Dead, 2, 1_000, "late", 4_200, CancellationToken.None));

        Assert.Equal(["o2"], (await outbox.DueAsync(DateTimeOffset.FromUnixTimeMilliseconds(9_000), 10, CancellationToken.None)).Select(r => r.Id));
        var dead = Assert.Single(await outbox.ListAsync(AlertOutboxRow.Dead, 10, CancellationToken.None));
        Assert.Equal(("o3", 8L, "550 mailbox unavailable", (long?)4_100), (dead.Id, dead.Attempts, dead.LastError, dead.DoneMs));
        Assert.Equal(["o3", "o2", "o1"], (await outbox.RecentAsync(10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["o3", "o2"], (await outbox.RecentAsync(2, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(
            [("a1", AlertOutboxRow.Delivered), ("a1", AlertOutboxRow.Pending), ("a2", AlertOutboxRow.Dead)],
            (await outbox.StatesOfAsync(["a1", "a2", "a9"], CancellationToken.None)).Order());
    }

    [Fact]
    public async Task ReplicationQueue_APostponedVersionWaits_AndHoldsBackItsKeysLaterVersions()
    {
        var s3 = await VersionedBucketAsync("r-source");
        await s3.PutObjectAsync(Version("r-source", "k", "v1", "b1") with { QueueReplication = true }, S3Versioning.Enabled, CancellationToken.None);
        await s3.PutObjectAsync(Version("r-source", "k", "v2", "b2", 1) with { QueueReplication = true }, S3Versioning.Enabled, CancellationToken.None);
        await s3.PutObjectAsync(Version("r-source", "j", "v3", "b3", 2) with { QueueReplication = true }, S3Versioning.Enabled, CancellationToken.None);
        Assert.Equal(3, await s3.ReplicationBacklogAsync(CancellationToken.None));

        var now = Day0.AddMinutes(10);
        var due = await s3.DueReplicationsAsync(now, 10, CancellationToken.None);
        Assert.Equal(["v1", "v3"], due.Select(t => t.VersionId));

        // v1's destination refused it: it is tried again later, and v2 of the same key waits behind it.
        await s3.PostponeReplicationAsync(due[0], now.AddMinutes(1), CancellationToken.None);
        Assert.Equal(["v3"], (await s3.DueReplicationsAsync(now, 10, CancellationToken.None)).Select(t => t.VersionId));
        Assert.True(await s3.AnyReplicationDueAsync(now, CancellationToken.None));

        await s3.FinishReplicationAsync(due[1], meta => meta, CancellationToken.None);
        Assert.Empty(await s3.DueReplicationsAsync(now, 10, CancellationToken.None));

        var retried = Assert.Single(await s3.DueReplicationsAsync(now.AddMinutes(1), 10, CancellationToken.None));
        Assert.Equal(("v1", 1), (retried.VersionId, retried.Attempts));
        await s3.FinishReplicationAsync(retried, meta => meta, CancellationToken.None);
        Assert.Equal(["v2"], (await s3.DueReplicationsAsync(now.AddMinutes(1), 10, CancellationToken.None)).Select(t => t.VersionId));
        Assert.Equal(1, await s3.ReplicationBacklogAsync(CancellationToken.None));
    }
}
