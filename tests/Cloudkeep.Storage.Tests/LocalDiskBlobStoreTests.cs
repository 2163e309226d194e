using Cloudkeep.Storage.Blobs;
using Cloudkeep.Testing;

namespace Cloudkeep.Storage.Tests;

public sealed class LocalDiskBlobStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Write_StreamFailsMidway_LeavesNoFileBehind()
    {
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("eu-west-1", new FailingStream(100_000), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_Cancelled_LeavesNoFileBehind()
    {
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync("eu-west-1", new MemoryStream(new byte[10]), cts.Token));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CollectAbandonedWrites_RemovesLeftovers()
    {
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        File.WriteAllText(Path.Combine(_directory.Path, "blobs", "tmp", "0123.tmp"), "partial");
        Assert.Equal(1, await store.CollectAbandonedWritesAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory.Path, "blobs", "tmp")));
    }

    [Fact]
    public async Task CollectAbandonedWrites_KeepsAFileWrittenLately()
    {
        // Another node sharing the directory may be writing it: a live write touches its file as it goes.
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        File.WriteAllText(Path.Combine(_directory.Path, "blobs", "tmp", "0123.tmp"), "partial");
        Assert.Equal(0, await store.CollectAbandonedWritesAsync(TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_directory.Path, "blobs", "tmp")));
    }

    [Fact]
    public async Task Root_OutsideTheDataDirectory_HoldsTheBlobs()
    {
        // --blobs disk:DIR: the directory given is the root, as a shared mount would be.
        var root = Path.Combine(_directory.Path, "shared");
        var store = new BlobStoreOptions { Spec = "disk:" + root }.Create(Path.Combine(_directory.Path, "data"), TimeProvider.System);
        var written = await store.WriteAsync("us-east-1", new MemoryStream([1, 2, 3]), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(root, "us-east-1", written.Id.Id[..2], written.Id.Id)));
        Assert.Equal("disk:" + root, store.Description);
    }

    [Theory]
    [InlineData("../etc", "0123456789abcdef0123456789abcdef")]
    [InlineData("eu-west-1", "../../../../etc/passwd")]
    [InlineData("eu-west-1", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("EU", "0123456789abcdef0123456789abcdef")]
    [InlineData("", "0123456789abcdef0123456789abcdef")]
    [InlineData("eu-west-1/..", "0123456789abcdef0123456789abcdef")]
    public void PathOf_ForgedId_IsRefused(string location, string id)
    {
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        Assert.Throws<ArgumentException>(() => store.PathOf(new BlobId(location, id)));
    }

    [Fact]
    public void BlobIds_AreRandomAndAlwaysInsideTheRoot()
    {
        var store = LocalDiskBlobStore.InDataDirectory(_directory.Path, TimeProvider.System);
        var root = Path.GetFullPath(Path.Combine(_directory.Path, "blobs")) + Path.DirectorySeparatorChar;
        var ids = Enumerable.Range(0, 1000).Select(_ => BlobId.New("eu-west-2")).ToList();
        Assert.Equal(1000, ids.Select(i => i.Id).Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(root, store.PathOf(id), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eu-west-1/0123456789abcdef0123456789abcdef", true)]
    [InlineData("eu-west-1/../0123456789abcdef0123456789ab", false)]
    [InlineData("/etc/passwd", false)]
    public void TryParse_OnlyWellFormedIds(string text, bool valid)
    {
        Assert.Equal(valid, BlobId.TryParse(text, out _));
    }
}
