using System.Collections.Concurrent;
using Cloudkeep.Storage.Changes;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Dapper;
using Npgsql;

namespace Cloudkeep.Storage.Tests;

/// <summary>The change triggers and one node's listener, on a real PostgreSQL database.</summary>
public sealed class PostgresChangeNotificationTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Change> _heard = new();
    private readonly ChangeBus _bus = new();
    private readonly CancellationTokenSource _stop = new();
    private string _database = "";
    private PostgresMetadataStore _store = null!;
    private Task _listening = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _store = new PostgresMetadataStore(_database);
        await _store.MigrateAsync(TimeProvider.System, CancellationToken.None);
        _bus.Subscribe(_heard.Enqueue);
        var listener = _store.CreateChangeListener(_bus);
        _listening = listener.RunAsync(_stop.Token);
        await listener.Listening.WaitAsync(Wait);
        await new AccountRepository(_store).TryCreateAsync(new AccountRecord("111111111111", "a", "a@example.com", "ACTIVE", false, DateTimeOffset.UnixEpoch), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        _stop.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task AccessKey_CommittedChanges_AreHeardByKeyId_RolledBackOrLastUsedAreNot()
    {
        var keys = new AccessKeyRepository(_store);
        var key = new AccessKeyRecord("AKIACHANGES000000001", "111111111111", null, "c2VjcmV0LXNlYWxlZA==", "Active", DateTimeOffset.UnixEpoch);
        await keys.CreateAsync(key, CancellationToken.None);
        await HeardAsync(new Change(ChangeKind.AccessKey, key.AccessKeyId));

        _heard.Clear();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.InTransactionAsync<int>(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("DELETE FROM access_keys WHERE access_key_id = @id", new { id = key.AccessKeyId }, transaction);
            throw new InvalidOperationException("rolled back");
        }, CancellationToken.None));
        await keys.RecordUseAsync(key.AccessKeyId, DateTimeOffset.UtcNow, "s3", "eu-west-1", CancellationToken.None);
        // A change to another table, committed after both: once it is heard, anything they had sent would have been too.
        await new AccountRepository(_store).TryCreateAsync(new AccountRecord("222222222222", "b", "b@example.com", "ACTIVE", false, DateTimeOffset.UnixEpoch), CancellationToken.None);
        await HeardAsync(new Change(ChangeKind.Account, "222222222222"));
        Assert.DoesNotContain(_heard, c => c.Kind == ChangeKind.AccessKey);

        await keys.SetStatusAsync(key.AccessKeyId, "Inactive", CancellationToken.None);
        await HeardAsync(new Change(ChangeKind.AccessKey, key.AccessKeyId));
        Assert.All(_heard, c => Assert.DoesNotContain("c2VjcmV0", c.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BucketConfig_Update_IsHeardByBucketName()
    {
        await using (var connection = await _store.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO s3_buckets (name, account_id, region, created_at, config) VALUES ('b1', '111111111111', 'eu-west-1', 0, '{}')");
        }

        _heard.Clear();
        Assert.True(await new S3Repository(_store).UpdateBucketConfigAsync("b1", """{"versioning":"Enabled"}""", CancellationToken.None));
        await HeardAsync(new Change(ChangeKind.Bucket, "b1"));
    }

    [Fact]
    public async Task ListeningConnection_Terminated_ReconnectsAndDropsEverything_ThenHearsAgain()
    {
        var resyncs = _bus.Resyncs;
        await using (var admin = new NpgsqlConnection(PostgresMetadataStore.ToConnectionString(_database)))
        {
            await admin.OpenAsync();
            Assert.Equal(1, await admin.ExecuteScalarAsync<int>($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresChangeListener.ApplicationName}' AND datname = current_database()"));
        }

        await WaitUntilAsync(() => _bus.Resyncs > resyncs, "a resync after the connection was terminated");
        await new AccessKeyRepository(_store).CreateAsync(new AccessKeyRecord("AKIACHANGES000000002", "111111111111", null, "eA==", "Active", DateTimeOffset.UnixEpoch), CancellationToken.None);
        await HeardAsync(new Change(ChangeKind.AccessKey, "AKIACHANGES000000002"));
    }

    private Task HeardAsync(Change change) => WaitUntilAsync(() => _heard.Contains(change), $"{change.Kind} {change.Name}");

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not heard within {Wait.TotalSeconds} s: {what}");
            await Task.Delay(10);
        }
    }
}
