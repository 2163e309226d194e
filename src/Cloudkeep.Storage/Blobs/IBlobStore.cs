namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Immutable blobs, named by random ids (<see cref="BlobId"/>): a local directory, a directory every node mounts, or
/// an S3-compatible object store. A write is durable (and readable by id, from any node sharing the store) only when
/// <see cref="WriteAsync"/> returns; a failed or cancelled write leaves nothing a reader can see. A backend that cannot
/// be reached, or refuses the store's credentials, throws <see cref="BlobStoreUnavailableException"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where blobs are kept, for logs and messages: <c>disk:/path</c> or <c>s3://bucket/prefix</c>; never a credential.</summary>
    string Description { get; }

    /// <summary>Streams <paramref name="content"/> into a new blob, computing its MD5 on the way.</summary>
    Task<BlobWriteResult> WriteAsync(string location, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a blob under an id it already has (an estate restore putting archived blobs into this store);
    /// one of that id already there is replaced. Durable when it returns, as <see cref="WriteAsync"/>.
    /// </summary>
    Task<BlobWriteResult> ImportAsync(BlobId id, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens bytes [offset, offset + length) of a blob (one ranged read on a remote backend); throws
    /// <see cref="FileNotFoundException"/> when the blob is absent. A range past the blob's end yields only what
    /// there is (a reader that needs it all sees the stream end early); <see cref="long.MaxValue"/> reads to the end.
    /// </summary>
    Task<BlobRange> OpenRangeAsync(BlobId id, long offset, long length, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(BlobId id, CancellationToken cancellationToken);

    /// <summary>Deletes a blob; deleting one that is absent is not an error.</summary>
    Task DeleteAsync(BlobId id, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what writes a crash interrupted (temporary files, unfinished multipart uploads) and nothing younger
    /// than <paramref name="olderThan"/> (another node sharing the store may be writing it); returns how many.
    /// </summary>
    Task<int> CollectAbandonedWritesAsync(TimeSpan olderThan, CancellationToken cancellationToken);
}

public static class BlobStoreExtensions
{
    /// <summary>A whole blob, front to back (one GET on a remote backend).</summary>
    public static Task<BlobRange> OpenReadAsync(this IBlobStore store, BlobId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.OpenRangeAsync(id, 0, long.MaxValue, cancellationToken);
    }
}

/// <summary>The bytes of a range of a blob, read front to back, and the whole blob's length.</summary>
public sealed class BlobRange(Stream content, long blobLength) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;

    public long BlobLength { get; } = blobLength;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
