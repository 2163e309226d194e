using System.Security.Cryptography;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// What every blob store does, whatever keeps the bytes: a write is readable whole and by range, with its MD5;
/// a missing blob is FileNotFoundException; deletes are idempotent; a write whose source fails leaves nothing.
/// One subclass per backend (a directory, Ceph's RADOS Gateway).
/// </summary>
public abstract class BlobStoreContract
{
    /// <summary>A store of its own for one test; large writes go through its multipart path past <see cref="LargeSize"/>.</summary>
    protected abstract Task<IBlobStore> StoreAsync();

    /// <summary>What the store holds (blobs and unfinished writes), to see that a failed write left nothing.</summary>
    protected abstract Task<int> HeldAsync(IBlobStore store);

    /// <summary>Larger than the store's single-write size (two parts and a bit on S3).</summary>
    protected virtual int LargeSize => 11 * 1024 * 1024 + 12345;

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

#pragma warning disable CA5351 // S3 defines the ETag as an MD5; it is an integrity check, not security.
    [Fact]
    public async Task Write_ThenRead_ReturnsTheBytesAndTheirMd5()
    {
        var store = await StoreAsync();
        var data = RandomNumberGenerator.GetBytes(300_000);
        var written = await store.WriteAsync("eu-west-1", new MemoryStream(data), CancellationToken.None);
        Assert.Equal(data.Length, written.Length);
        Assert.Equal(MD5.HashData(data), written.Md5);
        Assert.Equal("eu-west-1", written.Id.Location);
        await using var read = await store.OpenReadAsync(written.Id, CancellationToken.None);
        Assert.Equal(data.Length, read.BlobLength);
        Assert.Equal(data, await ReadAllAsync(read.Content));
        Assert.True(await store.ExistsAsync(written.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1000, 4096)]
    [InlineData(99_990, 10)]
    [InlineData(99_990, 500)]
    [InlineData(100_000, 5)]
    [InlineData(5, 0)]
    public async Task OpenRange_IsThatSliceClampedToTheBlob(int offset, int length)
    {
        var store = await StoreAsync();
        var data = RandomNumberGenerator.GetBytes(100_000);
        var written = await store.WriteAsync("us-east-1", new MemoryStream(data), CancellationToken.None);
        await using var range = await store.OpenRangeAsync(written.Id, offset, length, CancellationToken.None);
        Assert.Equal(data.Length, range.BlobLength);
        Assert.Equal(data.Skip(offset).Take(length).ToArray(), await ReadAllAsync(range.Content));
    }

    [Fact]
    public async Task Write_Empty_IsAnEmptyBlob()
    {
        var store = await StoreAsync();
        var written = await store.WriteAsync("us-east-1", new MemoryStream(), CancellationToken.None);
        Assert.Equal(0, written.Length);
        Assert.Equal(MD5.HashData(Array.Empty<byte>()), written.Md5);
        await using var read = await store.OpenReadAsync(written.Id, CancellationToken.None);
        Assert.Empty(await ReadAllAsync(read.Content));
    }

    [Fact]
    public async Task Write_Large_GoesInPartsAndReadsBackWholeAndAcrossParts()
    {
        var store = await StoreAsync();
        var data = RandomNumberGenerator.GetBytes(LargeSize);
        var written = await store.WriteAsync("us-east-1", new TricklingStream(data), CancellationToken.None);
        Assert.Equal(data.Length, written.Length);
        Assert.Equal(MD5.HashData(data), written.Md5);
        await using (var read = await store.OpenReadAsync(written.Id, CancellationToken.None))
        {
            Assert.Equal(MD5.HashData(data), MD5.HashData(await ReadAllAsync(read.Content)));
        }

        const int Boundary = 5 * 1024 * 1024;
        await using var across = await store.OpenRangeAsync(written.Id, Boundary - 100, 200, CancellationToken.None);
        Assert.Equal(data[(Boundary - 100)..(Boundary + 100)], await ReadAllAsync(across.Content));
    }
#pragma warning restore CA5351

    [Fact]
    public async Task Missing_IsFileNotFound()
    {
        var store = await StoreAsync();
        var missing = BlobId.New("us-east-1");
        Assert.False(await store.ExistsAsync(missing, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenRangeAsync(missing, 0, 10, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(missing, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesTheBlob_AndAgainIsNoError()
    {
        var store = await StoreAsync();
        var written = await store.WriteAsync("us-east-1", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await store.DeleteAsync(written.Id, CancellationToken.None);
        Assert.False(await store.ExistsAsync(written.Id, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(written.Id, CancellationToken.None));
        await store.DeleteAsync(written.Id, CancellationToken.None);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(7 * 1024 * 1024)]
    public async Task Write_SourceFailsMidway_LeavesNothing(int failAfter)
    {
        var store = await StoreAsync();
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("us-east-1", new FailingStream(failAfter), CancellationToken.None));
        Assert.Equal(0, await HeldAsync(store));
    }

    /// <summary>A request body: arrives in uneven pieces.</summary>
    private sealed class TricklingStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 70_001), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The contract on a directory (the default store, and the shared-directory mode).</summary>
public sealed class DiskBlobStoreContractTests : BlobStoreContract, IDisposable
{
    private readonly Cloudkeep.Testing.TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<IBlobStore> StoreAsync() => Task.FromResult<IBlobStore>(new LocalDiskBlobStore(_directory.Path, TimeProvider.System));

    protected override Task<int> HeldAsync(IBlobStore store) =>
        Task.FromResult(Directory.EnumerateFiles(_directory.Path, "*", SearchOption.AllDirectories).Count());
}
