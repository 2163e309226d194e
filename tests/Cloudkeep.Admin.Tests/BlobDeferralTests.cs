using Amazon.S3.Model;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Storage.Snapshots;
using Cloudkeep.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Admin.Tests;

/// <summary>While a snapshot holds a lease, the blobs S3 stops naming stay on disk, listed durably, until it ends.</summary>
public sealed class BlobDeferralTests : IDisposable
{
    private readonly TempDirectory _work = new("cloudkeep-deferral-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Overwrite_WhileASnapshotHoldsALease_KeepsTheOldBlobUntilTheLeaseIsReleased()
    {
        await using var server = await TestServer.StartAsync(dataDirectory: Path.Combine(_work.Path, "data"));
        using var s3 = EstateSeed.S3(server);
        await s3.PutBucketAsync("deferred");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "deferred", Key = "k", InputStream = new MemoryStream(Bodies.Of("k", 1, 100 * 1024)) });
        var first = BlobFiles(server);
        await using var store = MetadataStoreFactory.Create(null, server.DataDirectory);
        var leases = new SnapshotLeases(store);
        var now = DateTimeOffset.UtcNow;
        await leases.TakeAsync("test-lease", "test", now, now + TimeSpan.FromMinutes(5), CancellationToken.None);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "deferred", Key = "k", InputStream = new MemoryStream(Bodies.Of("k", 2, 100 * 1024)) });
        await s3.DeleteObjectAsync("deferred", "k");

        Assert.Single(first);
        Assert.True(File.Exists(first[0]), "the overwritten blob was deleted while a snapshot held its lease");
        Assert.Equal(2, await Pending(server));
        var reclaimer = new BlobReclaimer(store, new Storage.Blobs.LocalDiskBlobStore(server.DataDirectory, TimeProvider.System), TimeProvider.System);
        Assert.Equal(0, await reclaimer.ReclaimDeferredAsync(CancellationToken.None));

        await leases.ReleaseAsync("test-lease", CancellationToken.None);
        Assert.Equal(2, await reclaimer.ReclaimDeferredAsync(CancellationToken.None));

        Assert.Empty(BlobFiles(server));
        Assert.Equal(0, await Pending(server));
    }

    [Fact]
    public async Task DeferredDeletes_OfAKilledSnapshot_AreDoneByTheServerAfterARestart()
    {
        var data = Path.Combine(_work.Path, "data");
        string blob;
        await using (var server = await TestServer.StartAsync(dataDirectory: data))
        {
            using var s3 = EstateSeed.S3(server);
            await s3.PutBucketAsync("deferred");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "deferred", Key = "k", InputStream = new MemoryStream(Bodies.Of("k", 1, 100 * 1024)) });
            blob = Assert.Single(BlobFiles(server));
            await using var store = MetadataStoreFactory.Create(null, data);

            // A backup that was killed: its lease is never released and lapses two seconds from now.
            var now = DateTimeOffset.UtcNow;
            await new SnapshotLeases(store).TakeAsync("killed-backup", "test", now, now + TimeSpan.FromSeconds(2), CancellationToken.None);
            await s3.DeleteObjectAsync("deferred", "k");
            Assert.True(File.Exists(blob));
            Assert.Equal(1, await Pending(server));
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await using (var restarted = await TestServer.StartAsync(dataDirectory: data))
        {
            // The reclaim job's first pass runs as the server starts; it deletes the file, then its pending row.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((File.Exists(blob) || await Pending(restarted) > 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.False(File.Exists(blob), "the deferred blob was not deleted after the restart");
            Assert.Equal(0, await Pending(restarted));
        }
    }

    [Fact]
    public void BlobColumns_AreEveryColumnOfTheSchemaThatNamesBlobs()
    {
        // A new table or column holding blob ids must be added to what a snapshot copies.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var (_, _, sql) in Migrations.All)
        {
            connection.Execute(sql);
        }

        var columns = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'")
            .SelectMany(table => connection.Query<string>($"SELECT name FROM pragma_table_info('{table}')").Select(column => (Table: table, Column: column)))
            .Where(c => c.Column.Contains("blob", StringComparison.OrdinalIgnoreCase) && c.Column != "inline_data")
            .Where(c => c.Table != "pending_blob_deletes")
            .ToList();

        Assert.Equal(EstateSql.BlobColumns.Order(), columns.Order());
    }

    private static List<string> BlobFiles(TestServer server) =>
        [.. Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories).Where(f => !f.Contains("/blobs/tmp/", StringComparison.Ordinal))];

    private static async Task<long> Pending(TestServer server)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "cloudkeep.db")};Pooling=False");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pending_blob_deletes");
    }
}
