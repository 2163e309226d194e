using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Admin.Tests;

/// <summary>
/// The whole flow against a real server on loopback: a snapshot taken while 200 writes run, restored into a new
/// directory, a server started on it, and everything acknowledged before the snapshot answered as before.
/// </summary>
public sealed class EstateRoundTripTests : IDisposable
{
    private const string LiveBucket = "live";
    private const int Writes = 200;
    private const int Overwritten = 40;
    private readonly TempDirectory _work = new("cloudkeep-estate-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public Task Backup_DuringTwoHundredConcurrentWrites_RestoresEveryAcknowledgedWrite_Sqlite() => RoundTripAsync(database: null, restoreDatabase: null, concurrency: Writes);

    /// <summary>
    /// PostgreSQL with all 200 writers in flight at once: PutObject's serializable transactions on one bucket
    /// conflict and are retried; a write the store still cannot order answers 503 SlowDown, which the SDK retries.
    /// </summary>
    [Fact]
    public async Task Backup_DuringTwoHundredConcurrentWrites_RestoresEveryAcknowledgedWrite_Postgres() =>
        await RoundTripAsync(await PostgresServer.CreateDatabaseAsync(), await PostgresServer.CreateDatabaseAsync(), concurrency: Writes);

    private async Task RoundTripAsync(string? database, string? restoreDatabase, int concurrency)
    {
        var data = Path.Combine(_work.Path, "data");
        var archives = Path.Combine(_work.Path, "archives");
        var restored = Path.Combine(_work.Path, "restored");
        var key = KeyFile();
        EstateSeed seed;
        var written = new ConcurrentDictionary<string, ConcurrentBag<int>>(StringComparer.Ordinal);
        var acknowledged = new ConcurrentBag<(string Key, int Generation)>();
        (string Key, int Generation)[] before;
        string archive;
        await using (var server = await TestServer.StartAsync(database: database, dataDirectory: data))
        {
            seed = await EstateSeed.CreateAsync(server);
            using var s3 = EstateSeed.S3(server);
            await s3.PutBucketAsync(LiveBucket);
            for (var i = 0; i < Overwritten; i++)
            {
                // Blob-backed objects, overwritten during the snapshot: their old blobs' deletes must wait for it.
                var name = $"over-{i}";
                await s3.PutObjectAsync(Put(name, 0, Bodies.SizeOf(name, 0)));
                written.GetOrAdd(name, _ => []).Add(0);
            }

            var started = new TaskCompletionSource();
            using var inFlight = new SemaphoreSlim(concurrency);
            var writers = Enumerable.Range(1, Writes).Select(w => Task.Run(async () =>
            {
                var name = w % 3 == 0 ? $"over-{w % Overwritten}" : $"new-{w}";
                written.GetOrAdd(name, _ => []).Add(w);
                await inFlight.WaitAsync();
                try
                {
                    await s3.PutObjectAsync(Put(name, w, Bodies.SizeOf(name, w)));
                }
                finally
                {
                    inFlight.Release();
                }

                acknowledged.Add((name, w));
                if (acknowledged.Count == Writes / 4)
                {
                    started.TrySetResult();
                }
            })).ToList();

            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            before = acknowledged.ToArray();
            var output = new StringWriter();
            archive = await new EstateBackup(output, TimeProvider.System, null).RunAsync(new EstateBackupArguments(data, database, archives, key), CancellationToken.None);
            await Task.WhenAll(writers);
            Assert.Contains("snapshot of the", output.ToString(), StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(archives));
        }

        var restoreOutput = new StringWriter();
        await new EstateRestore(restoreOutput, TimeProvider.System, null).RunAsync(
            new EstateRestoreArguments(archive, restored, key) { Database = restoreDatabase, MasterKeyFile = Path.Combine(data, "master.key") },
            CancellationToken.None);
        Assert.Contains("restored the estate into", restoreOutput.ToString(), StringComparison.Ordinal);

        // A clock ahead of the first server's, so the MFA code asked for is one that server never saw.
        var clock = new ShiftableClock { Offset = TimeSpan.FromSeconds(90) };
        await using var restoredServer = await TestServer.StartAsync(database: restoreDatabase, dataDirectory: restored, time: clock);
        await seed.CheckAsync(restoredServer, clock);
        using var restoredS3 = EstateSeed.S3(restoredServer);
        var present = new Dictionary<string, int>(StringComparer.Ordinal);
        var listing = new ListObjectsV2Request { BucketName = LiveBucket };
        ListObjectsV2Response page;
        do
        {
            page = await restoredS3.ListObjectsV2Async(listing);
            foreach (var item in page.S3Objects ?? [])
            {
                // Every restored object is byte-identical to one of the writes made to its key.
                using var response = await restoredS3.GetObjectAsync(LiveBucket, item.Key);
                var generation = int.Parse(response.Metadata["x-amz-meta-gen"], CultureInfo.InvariantCulture);
                using var body = new MemoryStream();
                await response.ResponseStream.CopyToAsync(body);
                Assert.Contains(generation, written[item.Key]);
                Assert.True(Bodies.Of(item.Key, generation, Bodies.SizeOf(item.Key, generation)).AsSpan().SequenceEqual(body.ToArray()), $"{item.Key} generation {generation} differs");
                present[item.Key] = generation;
            }

            listing.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        Assert.True(before.Length >= Writes / 4, $"{before.Length} writes were acknowledged before the snapshot");
        foreach (var (name, generation) in before)
        {
            Assert.True(present.TryGetValue(name, out var restoredGeneration), $"{name} (acknowledged before the snapshot) is missing");
            if (name.StartsWith("new-", StringComparison.Ordinal))
            {
                Assert.Equal(generation, restoredGeneration);
            }
        }

        Assert.Equal(Overwritten, present.Keys.Count(k => k.StartsWith("over-", StringComparison.Ordinal)));
    }

    private static PutObjectRequest Put(string key, int generation, int size)
    {
        var body = Bodies.Of(key, generation, size);
        var request = new PutObjectRequest { BucketName = LiveBucket, Key = key, InputStream = new MemoryStream(body) };
        request.Metadata["gen"] = generation.ToString(CultureInfo.InvariantCulture);
        return request;
    }

    private ArchiveKey KeyFile()
    {
        var path = Path.Combine(_work.Path, "backup.key");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        return ArchiveKey.FromKeyFile(path);
    }
}
