namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Immutable blobs. A write is durable (and visible by id) only when <see cref="WriteAsync"/>
/// returns; a failed or cancelled write leaves nothing behind.
/// </summary>
public interface IBlobStore
{
    Task<BlobWriteResult> WriteAsync(string location, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading (seekable, for ranges); throws <see cref="FileNotFoundException"/> when absent.</summary>
    Stream OpenRead(BlobId id);

    bool Exists(BlobId id);

    long GetLength(BlobId id);

    void Delete(BlobId id);

    /// <summary>Removes temporary files left by writes a crash interrupted; returns how many.</summary>
    int CollectTemporaryFiles(TimeSpan olderThan);
}
