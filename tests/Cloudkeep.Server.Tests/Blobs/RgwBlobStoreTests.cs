using Amazon.S3.Model;
using Cloudkeep.Storage.Blobs;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>The blob store contract on Ceph's RADOS Gateway, and what only a remote backend does: keys, refusals, unreachability, abandoned uploads.</summary>
[Collection(CephGroup.Name)]
public sealed class RgwBlobStoreTests(CephFixture ceph) : BlobStoreContract, IAsyncLifetime
{
    private string _bucket = null!;
    private readonly string _prefix = "contract-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<S3BlobStore> _stores = [];

    public async Task InitializeAsync() => _bucket = await ceph.BucketAsync("blobs");

    public Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>Parts of S3's smallest size, so the multipart path is taken by an 11 MiB write.</summary>
    private S3BlobStore Store(string? accessKeyId = null, string? secretAccessKey = null, string? endpoint = null, string? bucket = null)
    {
        var store = new S3BlobStore(
            S3BlobStore.CreateClient(new Uri(endpoint ?? ceph.Rgw.Endpoint), "us-east-1", accessKeyId ?? ceph.Rgw.AccessKeyId, secretAccessKey ?? ceph.Rgw.SecretAccessKey),
            bucket ?? _bucket, _prefix, TimeProvider.System, partSize: 5 * 1024 * 1024);
        _stores.Add(store);
        return store;
    }

    protected override Task<IBlobStore> StoreAsync() => Task.FromResult<IBlobStore>(Store());

    protected override async Task<int> HeldAsync(IBlobStore store) =>
        (await ceph.KeysAsync(_bucket, _prefix)).Count + await ceph.OpenUploadsAsync(_bucket, _prefix);

    [Fact]
    public async Task Write_KeyIsThePrefixLocationAndRandomId()
    {
        var written = await Store().WriteAsync("eu-west-2", new MemoryStream([1, 2, 3]), CancellationToken.None);
        Assert.Equal([$"{_prefix}/eu-west-2/{written.Id.Id}"], await ceph.KeysAsync(_bucket, _prefix));
    }

    [Fact]
    public async Task Write_ExactlyOnePart_IsOnePutAndNoUploadIsLeft()
    {
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var written = await Store().WriteAsync("us-east-1", new MemoryStream(data), CancellationToken.None);
        Assert.Equal(data.Length, written.Length);
        Assert.Equal(0, await ceph.OpenUploadsAsync(_bucket, _prefix));
        using var client = ceph.Client();
        var head = await client.GetObjectMetadataAsync(_bucket, $"{_prefix}/us-east-1/{written.Id.Id}");
        Assert.DoesNotContain("-", head.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecret_EveryCallIsUnavailable()
    {
        var good = await Store().WriteAsync("us-east-1", new MemoryStream([1]), CancellationToken.None);
        var store = Store(secretAccessKey: "not-the-secret-0123456789abcdefghijklmn");
        var write = await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.WriteAsync("us-east-1", new MemoryStream([1, 2]), CancellationToken.None));
        Assert.Contains("403", write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", write.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.OpenReadAsync(good.Id, CancellationToken.None));
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.DeleteAsync(good.Id, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task UnreachableEndpoint_IsUnavailable_AndTheCheckSaysWhy()
    {
        var store = Store(endpoint: "http://127.0.0.1:" + ClosedPort());
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.WriteAsync("us-east-1", new MemoryStream(new byte[70_000]), CancellationToken.None));
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.OpenReadAsync(BlobId.New("us-east-1"), CancellationToken.None));
        Assert.NotNull(await store.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MissingBucket_IsRefusedByTheCheck()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store(bucket: "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]).CheckAsync(CancellationToken.None));
        Assert.Contains("--blobs", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store().CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CollectAbandonedWrites_AbortsOldUploadsOfBlobKeysOnly()
    {
        using var client = ceph.Client();
        var blobKey = $"{_prefix}/us-east-1/{BlobId.New("us-east-1").Id}";
        await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = blobKey });
        await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = _prefix + "/not-a-blob" });
        var store = Store();
        Assert.Equal(0, await store.CollectAbandonedWritesAsync(TimeSpan.FromDays(1), CancellationToken.None));
        Assert.Equal(1, await store.CollectAbandonedWritesAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(1, await ceph.OpenUploadsAsync(_bucket, _prefix));
    }

    internal static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
