using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// A blob backend that fails: the client gets 503 ServiceUnavailable (which SDKs retry), never a 500, and an object
/// whose blob write failed leaves no metadata row. A backend that refuses the node's credentials at start stops it.
/// </summary>
[Collection(CephGroup.Name)]
public sealed class BlobBackendFailureTests(CephFixture ceph)
{
    [Fact]
    public async Task BackendUnreachable_PutAnswers503_AndNoObjectIsListed()
    {
        var bucket = await ceph.BucketAsync("down");
        await using var server = await TestServer.StartAsync(blobs: ceph.Options(bucket, endpoint: "http://127.0.0.1:" + RgwBlobStoreTests.ClosedPort()));
        using var s3 = S3Clients.Root(server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "down" });

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "down", Key = "big", InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(200_000)) }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        var upload = await s3.InitiateMultipartUploadAsync("down", "parts");
        var part = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest { BucketName = "down", Key = "parts", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1000]) }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, part.StatusCode);

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "down" });
        Assert.Empty(listed.S3Objects ?? []);
        var parts = await s3.ListPartsAsync("down", "parts", upload.UploadId);
        Assert.Empty(parts.Parts ?? []);

        // Small objects live in their metadata row: they need no backend.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "down", Key = "small", ContentBody = "kept inline" });
    }

    [Fact]
    public async Task CredentialRevoked_ReadsAndWritesAnswer503_AndDeletesWaitForTheBackend()
    {
        var uid = "revoked-" + Guid.NewGuid().ToString("N")[..8];
        var (id, secret) = await ceph.Rgw.CreateUserAsync(uid);
        var bucket = await ceph.BucketAsync("revoked");
        using (var owner = ceph.Client())
        {
            // The bucket is the first user's; the node's user is let in by the bucket policy.
            await owner.PutBucketPolicyAsync(bucket, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/{{uid}}"]},"Action":"s3:*","Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]}]}""");
        }

        await using var server = await TestServer.StartAsync(blobs: ceph.Options(bucket, accessKeyId: id, secretAccessKey: secret));
        using var s3 = S3Clients.Root(server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "kept" });
        var data = RandomNumberGenerator.GetBytes(100_000);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "kept", Key = "before", InputStream = new MemoryStream(data) });

        await ceph.Rgw.SuspendUserAsync(uid);
        var put = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "kept", Key = "after", InputStream = new MemoryStream(data) }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync("kept", "before"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        Assert.Equal(["before"], (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "kept" })).S3Objects.Select(o => o.Key));

        // The row goes; the blob's delete is kept for the reclaim job, since the backend refuses it now.
        await s3.DeleteObjectAsync("kept", "before");
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "kept" })).S3Objects ?? []);
        Assert.Single(await ceph.KeysAsync(bucket));
    }

    [Fact]
    public async Task WrongSecretAtStart_IsRefused()
    {
        var bucket = await ceph.BucketAsync("refused");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestServer.StartAsync(blobs: ceph.Options(bucket, secretAccessKey: "wrong-secret-0123456789abcdefghijklmnopq")));
        Assert.Contains("--blobs", error.Message, StringComparison.Ordinal);
    }
}
