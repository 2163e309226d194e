using System.Buffers;
using System.Security.Cryptography;

namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Blobs as files under &lt;root&gt;/&lt;location&gt;/&lt;2 hex&gt;/&lt;id&gt; (by default &lt;data&gt;/blobs; with
/// <c>--blobs disk:DIR</c> any directory, such as one every node mounts). A write streams into a temporary file in
/// &lt;root&gt;/tmp (hashing as it goes), fsyncs it and renames it into place, so a crash never exposes a partial blob
/// and a reader on another node sees the whole file or none; the id is random, so paths never derive from user input.
/// </summary>
public sealed class LocalDiskBlobStore : IBlobStore
{
    private const int CopyBufferSize = 128 * 1024;
    private readonly string _root;
    private readonly string _temporary;
    private readonly TimeProvider _time;

    /// <summary>A store whose blobs live directly under <paramref name="root"/>.</summary>
    public LocalDiskBlobStore(string root, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _root = Path.GetFullPath(root);
        _temporary = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_temporary);
    }

    /// <summary>The default store: &lt;data&gt;/blobs.</summary>
    public static LocalDiskBlobStore InDataDirectory(string dataDirectory, TimeProvider time) =>
        new(DefaultRoot(dataDirectory), time);

    public static string DefaultRoot(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "blobs");

    public string Root => _root;

    public string Description => "disk:" + _root;

    public Task<BlobWriteResult> WriteAsync(string location, Stream content, CancellationToken cancellationToken) =>
        WriteAsync(BlobId.New(location), content, replace: false, cancellationToken);

    public Task<BlobWriteResult> ImportAsync(BlobId id, Stream content, CancellationToken cancellationToken) =>
        WriteAsync(id, content, replace: true, cancellationToken);

    private async Task<BlobWriteResult> WriteAsync(BlobId id, Stream content, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var finalPath = PathOf(id);
        var temporaryPath = Path.Combine(_temporary, id.Id + ".tmp");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
#pragma warning disable CA5351 // S3 defines a simple upload's ETag as the MD5 of its bytes.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        long length = 0;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(temporaryPath, options))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }

                file.Flush(flushToDisk: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            File.Move(temporaryPath, finalPath, overwrite: replace);
            return new BlobWriteResult(id, length, md5.GetHashAndReset());
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<BlobRange> OpenRangeAsync(BlobId id, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var path = PathOf(id);
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (DirectoryNotFoundException e)
        {
            // No blob of this fan-out directory was ever written here: as absent as a missing file.
            throw new FileNotFoundException($"No blob {id}.", path, e);
        }

        var blobLength = file.Length;
        file.Seek(Math.Min(offset, blobLength), SeekOrigin.Begin);
        return Task.FromResult(new BlobRange(new BoundedReadStream(file, Math.Max(0, Math.Min(length, blobLength - offset))), blobLength));
    }

    public Task<bool> ExistsAsync(BlobId id, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(id)));

    public Task DeleteAsync(BlobId id, CancellationToken cancellationToken)
    {
        TryDelete(PathOf(id));
        return Task.CompletedTask;
    }

    /// <summary>Temporary files not written to for <paramref name="olderThan"/>: a live write touches its file as it goes.</summary>
    public Task<int> CollectAbandonedWritesAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var removed = 0;
        var cutoff = _time.GetUtcNow().UtcDateTime - olderThan;
        foreach (var file in Directory.EnumerateFiles(_temporary, "*.tmp"))
        {
            if (File.GetLastWriteTimeUtc(file) <= cutoff && TryDelete(file))
            {
                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    /// <summary>
    /// The one place a path is made. It re-validates the id and checks the result stays under the
    /// blob root, so even a forged <see cref="BlobId"/> cannot name a file elsewhere.
    /// </summary>
    internal string PathOf(BlobId id)
    {
        if (!BlobId.IsValidLocation(id.Location) || !BlobId.IsValidId(id.Id))
        {
            throw new ArgumentException("Invalid blob id.", nameof(id));
        }

        var path = Path.GetFullPath(Path.Combine(_root, id.Location, id.Id[..2], id.Id));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid blob id.", nameof(id));
        }

        return path;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
