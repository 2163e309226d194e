using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// Two nodes sharing one PostgreSQL database and one Ceph RGW bucket (--blobs s3://...), driven through AWSSDK.S3:
/// what one node writes the other reads, whole and by range; a multipart upload spread over both; versioned deletes;
/// and the backend holding only random blob ids, never a user's key.
/// </summary>
[Collection(CephGroup.Name)]
public sealed class ManyNodesOnRgwTests(CephFixture ceph) : IAsyncLifetime
{
    private TestServer _a = null!;
    private TestServer _b = null!;
    private string _backend = null!;
    private const string Prefix = "estate";

    public async Task InitializeAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        _backend = await ceph.BucketAsync("nodes");
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var blobs = ceph.Options(_backend, Prefix);
        _a = await TestServer.StartAsync(database: database, masterKey: masterKey, blobs: blobs);
        _b = await TestServer.StartAsync(database: database, masterKey: masterKey, blobs: blobs);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    private static async Task<byte[]> BodyAsync(GetObjectResponse response)
    {
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<string> BucketAsync(AmazonS3Client s3)
    {
        var bucket = S3Clients.UniqueBucket("shared");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    [Fact]
    public async Task PutOnOneNode_GetAndRangeOnTheOther_AndTheBackendHoldsOnlyBlobIds()
    {
        using var a = S3Clients.Root(_a);
        using var b = S3Clients.Root(_b);
        var bucket = await BucketAsync(a);
        var data = RandomNumberGenerator.GetBytes(1_000_000);
        const string Key = "../../etc/passwd";
        var put = await a.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Key, InputStream = new MemoryStream(data) });

        using (var whole = await b.GetObjectAsync(bucket, Key))
        {
            Assert.Equal(data, await BodyAsync(whole));
            Assert.Equal(put.ETag, whole.ETag);
        }

        // Past the first 64 KiB chunk of the encrypted form: the node reads the header and the chunks it needs.
        using (var range = await b.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key, ByteRange = new ByteRange(200_000, 333_332) }))
        {
            Assert.Equal(HttpStatusCode.PartialContent, range.HttpStatusCode);
            var body = await BodyAsync(range);
            Assert.Equal(data[200_000..333_333], body);
        }

        var keys = await ceph.KeysAsync(_backend, Prefix + "/");
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Matches("^estate/[a-z0-9-]+/[0-9a-f]{32}$", k));
    }

    [Fact]
    public async Task MultipartUpload_PartsOnBothNodes_CompletesAndReadsOnEither()
    {
        using var a = S3Clients.Root(_a);
        using var b = S3Clients.Root(_b);
        var bucket = await BucketAsync(a);
        var first = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var second = RandomNumberGenerator.GetBytes(1_234_567);
        var upload = await a.InitiateMultipartUploadAsync(bucket, "big.bin");
        var one = await a.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.bin", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(first) });
        var two = await b.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.bin", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(second) });
        await b.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "big.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, one.ETag), new PartETag(2, two.ETag)],
        });

        using (var whole = await a.GetObjectAsync(bucket, "big.bin"))
        {
            Assert.Equal(first.Length + second.Length, whole.ContentLength);
            var all = await BodyAsync(whole);
            Assert.Equal([.. first, .. second], all);
        }

        using var across = await b.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.bin", ByteRange = new ByteRange(first.Length - 10, first.Length + 9) });
        var body = await BodyAsync(across);
        Assert.Equal([.. first[^10..], .. second[..10]], body);
    }

    [Fact]
    public async Task VersionedDeletes_OnOneNode_AreSeenOnTheOther_AndFreeTheBlob()
    {
        using var a = S3Clients.Root(_a);
        using var b = S3Clients.Root(_b);
        var bucket = await BucketAsync(a);
        await a.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var before = await ceph.KeysAsync(_backend, Prefix + "/");
        var v1 = RandomNumberGenerator.GetBytes(200_000);
        var first = await a.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", InputStream = new MemoryStream(v1) });
        await a.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(100_000)) });
        var added = (await ceph.KeysAsync(_backend, Prefix + "/")).Except(before).ToList();
        Assert.Equal(2, added.Count);

        var marker = await b.DeleteObjectAsync(bucket, "doc");
        Assert.Equal("true", marker.DeleteMarker);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.GetObjectAsync(bucket, "doc"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var old = await a.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc", VersionId = first.VersionId }))
        {
            Assert.Equal(v1, await BodyAsync(old));
        }

        // The version's row goes first, then its blob, from the backend every node uses.
        await b.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = first.VersionId });
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => a.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc", VersionId = first.VersionId }));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Single((await ceph.KeysAsync(_backend, Prefix + "/")).Except(before));
    }
}
