using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// The shared-directory mode: two nodes, each with its own data directory, on one PostgreSQL database and one blob
/// directory both mount (`--blobs disk:DIR`). What one node writes the other reads; what one deletes leaves the
/// directory; and the directory holds only random blob ids.
/// </summary>
public sealed class SharedDirectoryNodesTests : IAsyncLifetime
{
    private readonly TempDirectory _shared = new("cloudkeep-shared-blobs-");
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var blobs = new BlobStoreOptions { Spec = "disk:" + _shared.Path };
        _a = await TestServer.StartAsync(database: database, masterKey: masterKey, blobs: blobs);
        _b = await TestServer.StartAsync(database: database, masterKey: masterKey, blobs: blobs);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _shared.Dispose();
    }

    private List<string> BlobFiles() =>
        [.. Directory.EnumerateFiles(_shared.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_shared.Path, f))];

    [Fact]
    public async Task WrittenOnOneNode_ReadAndDeletedOnTheOther_TheDirectoryHoldsOnlyBlobIds()
    {
        using var a = S3Clients.Root(_a);
        using var b = S3Clients.Root(_b);
        var bucket = S3Clients.UniqueBucket("shared-dir");
        await a.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var data = RandomNumberGenerator.GetBytes(300_000);
        const string Key = "../../etc/shadow";
        await a.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Key, InputStream = new MemoryStream(data) });

        var files = BlobFiles();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches("^[a-z0-9/-]*[0-9a-f]{32}$", f));

        using (var got = await b.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key, ByteRange = new ByteRange(100_000, 199_999) }))
        {
            using var copy = new MemoryStream();
            await got.ResponseStream.CopyToAsync(copy);
            Assert.Equal(data[100_000..200_000], copy.ToArray());
        }

        await b.DeleteObjectAsync(bucket, Key);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.GetObjectAsync(bucket, Key));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(BlobFiles());
    }
}
