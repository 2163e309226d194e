using Cloudkeep.Storage.Metadata;
using Dapper;

namespace Cloudkeep.Storage.Tests;

/// <summary>CloudTrail's stored events as delivery sees them: stored batches are its pending list, the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static CloudTrailEventRow TrailEvent(string id, long timeMs, params (string Type, string Name)[] resources) =>
        new(id, "111122223333", "us-east-1", DateTimeOffset.FromUnixTimeMilliseconds(timeMs), "CreateUser", "iam.amazonaws.com", "alice", "AKIAEXAMPLE", false, true,
            $$"""{"eventID":"{{id}}","note":"naïve ☃"}""", resources);

    [Fact]
    public async Task CloudTrail_EachStoredBatchIsPending_UntilAClaimTakesIt_AndARetriedBatchAddsNothing()
    {
        var trail = new CloudTrailRepository(Store);
        await trail.AppendEventsAsync([TrailEvent("e2", 2_000, ("AWS::IAM::User", "bob")), TrailEvent("e1", 1_000)], CancellationToken.None);
        await trail.AppendEventsAsync([TrailEvent("e3", 3_000)], CancellationToken.None);
        await trail.AppendEventsAsync([TrailEvent("e1", 1_000), TrailEvent("e3", 3_000)], CancellationToken.None); // a retried batch: stored already

        // Only batches whose every event is at or before the time given; events in time order; resources and text intact.
        var early = await trail.PendingEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(2_500), 100, CancellationToken.None);
        Assert.Single(early.StoredIds);
        Assert.Equal(["e1", "e2"], early.Events.Select(e => e.EventId));
        Assert.Equal([("AWS::IAM::User", "bob")], early.Events[1].Resources);
        Assert.Equal("""{"eventID":"e2","note":"naïve ☃"}""", early.Events[1].Record);
        Assert.True(await trail.HasPendingAsync(DateTimeOffset.FromUnixTimeMilliseconds(2_500), CancellationToken.None));

        var all = await trail.PendingEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(10_000), 100, CancellationToken.None);
        Assert.Equal(2, all.StoredIds.Count);
        Assert.Equal(["e1", "e2", "e3"], all.Events.Select(e => e.EventId));

        await trail.ClaimAsync([], early.StoredIds, CancellationToken.None);
        Assert.Equal(["e3"], (await trail.PendingEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(10_000), 100, CancellationToken.None)).Events.Select(e => e.EventId));
        Assert.False(await trail.HasPendingAsync(DateTimeOffset.FromUnixTimeMilliseconds(2_500), CancellationToken.None));

        // Expiry takes the events and the batches that held only expired ones.
        Assert.Equal(3, await trail.ExpireEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(5_000), CancellationToken.None));
        Assert.False(await trail.HasPendingAsync(DateTimeOffset.FromUnixTimeMilliseconds(10_000), CancellationToken.None));
    }

    [Fact]
    public async Task CloudTrail_Migration602_TurnsEventsStillPendingIntoStoredBatches()
    {
        await using var older = (MetadataStoreBase)await CreateStoreAsync();
        await older.MigrateAsync(TimeProvider.System, 601, CancellationToken.None);
        await using (var connection = await older.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                "INSERT INTO cloudtrail_events (event_id, account_id, region, event_time, event_name, event_source, username, access_key_id, read_only, management, record, pending) VALUES " +
                "('waiting', '111122223333', 'us-east-1', 1000, 'CreateUser', 'iam.amazonaws.com', NULL, NULL, 0, 1, '{}', 1), " +
                "('looked-at', '111122223333', 'us-east-1', 2000, 'CreateUser', 'iam.amazonaws.com', NULL, NULL, 0, 1, '{}', 0)");
        }

        await older.MigrateAsync(TimeProvider.System, CancellationToken.None);
        var trail = new CloudTrailRepository(older);
        var pending = await trail.PendingEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(10_000), 100, CancellationToken.None);
        Assert.Equal(["waiting"], pending.Events.Select(e => e.EventId));

        // And the table takes events as the new code writes them.
        await trail.AppendEventsAsync([TrailEvent("new", 3_000)], CancellationToken.None);
        Assert.Equal(["waiting", "new"], (await trail.PendingEventsAsync(DateTimeOffset.FromUnixTimeMilliseconds(10_000), 100, CancellationToken.None)).Events.Select(e => e.EventId));
    }
}
