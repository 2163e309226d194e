using System.Buffers;
using System.Security.Cryptography;

namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Blobs as files under &lt;data&gt;/blobs/&lt;location&gt;/&lt;2 hex&gt;/&lt;id&gt;. A write streams into a
/// temporary file (hashing as it goes), fsyncs it and renames it into place, so a crash never
/// exposes a partial blob; the id is random, so paths never derive from user input.
/// </summary>
public sealed class LocalDiskBlobStore : IBlobStore
{
    private const int CopyBufferSize = 128 * 1024;
    private readonly string _root;
    private readonly string _temporary;
    private readonly TimeProvider _time;

    public LocalDiskBlobStore(string dataDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _root = Path.GetFullPath(Path.Combine(dataDirectory, "blobs"));
        _temporary = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_temporary);
    }

    public async Task<BlobWriteResult> WriteAsync(string location, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var id = BlobId.New(location);
        var temporaryPath = Path.Combine(_temporary, id.Id + ".tmp");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
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

            var finalPath = PathOf(id);
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            File.Move(temporaryPath, finalPath);
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

    public Stream OpenRead(BlobId id) =>
        new FileStream(PathOf(id), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });

    public bool Exists(BlobId id) => File.Exists(PathOf(id));

    public long GetLength(BlobId id) => new FileInfo(PathOf(id)).Length;

    public void Delete(BlobId id) => TryDelete(PathOf(id));

    public int CollectTemporaryFiles(TimeSpan olderThan)
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

        return removed;
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
