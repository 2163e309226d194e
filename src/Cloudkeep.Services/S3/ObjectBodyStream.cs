using Cloudkeep.Core.IO;
using Cloudkeep.Storage.Blobs;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Reads a range of an object made of one or more blobs, opening each blob only when the read
/// reaches it; memory stays flat whatever the object's size. With a decryptor, each blob is an
/// encrypted unit whose listed length is its plaintext's, opened through the decryptor instead
/// of seeked to.
/// </summary>
internal sealed class ObjectBodyStream : ReadOnlyForwardStream
{
    private readonly IBlobStore _blobs;
    private readonly IReadOnlyList<(string BlobId, long Length)> _parts;
    private long _position;
    private long _remaining;
    private int _partIndex;
    private Stream? _current;
    private readonly Func<Stream, long, long, long, Stream>? _decrypt;

    // decrypt: (stored blob, its plaintext length, offset in it, bytes wanted) → that plaintext range.
    public ObjectBodyStream(IBlobStore blobs, IReadOnlyList<(string BlobId, long Length)> parts, long offset, long length, Func<Stream, long, long, long, Stream>? decrypt = null)
    {
        _decrypt = decrypt;
        _blobs = blobs;
        _parts = parts;
        _position = offset;
        _remaining = length;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_remaining > 0 && buffer.Length > 0)
        {
            if (_current is null && !OpenNext())
            {
                return 0;
            }

            var want = (int)Math.Min(buffer.Length, _remaining);
            var read = await _current!.ReadAsync(buffer[..want], cancellationToken);
            if (read == 0)
            {
                await _current.DisposeAsync();
                _current = null;
                _partIndex++;
                continue;
            }

            _position += read;
            _remaining -= read;
            return read;
        }

        return 0;
    }

    /// <summary>Opens the blob holding <see cref="_position"/>, seeked to it.</summary>
    private bool OpenNext()
    {
        long start = 0;
        for (var i = 0; i < _parts.Count; i++)
        {
            var (blobId, length) = _parts[i];
            if (_position < start + length)
            {
                _partIndex = i;
                if (!BlobId.TryParse(blobId, out var id))
                {
                    throw new InvalidDataException("An object names an invalid blob.");
                }

                var stored = _blobs.OpenRead(id);
                if (_decrypt is not null)
                {
                    var within = _position - start;
                    _current = _decrypt(stored, length, within, Math.Min(_remaining, length - within));
                    return true;
                }

                _current = stored;
                _current.Seek(_position - start, SeekOrigin.Begin);
                return true;
            }

            start += length;
        }

        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }

        await base.DisposeAsync();
    }
}
