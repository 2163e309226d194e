using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.IO;
using Cloudkeep.Storage.Blobs;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Reads a range of an object made of one or more blobs, opening each blob only when the read reaches it, for exactly
/// the bytes of it the range covers (one ranged GET on a remote blob store); memory stays flat whatever the object's
/// size. With a decryptor, each blob is an encrypted unit whose listed length is its plaintext's: its header and the
/// chunks covering the range are read (two ranged reads), through the decryptor. A blob that ends before its listed
/// length fails the read rather than shift the bytes of the blobs after it.
/// </summary>
internal sealed class ObjectBodyStream : ReadOnlyForwardStream
{
    private readonly IBlobStore _blobs;
    private readonly IReadOnlyList<(string BlobId, long Length)> _parts;
    private long _position;
    private long _remaining;
    private long _partRemaining;
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

    /// <summary>Opens the first blob the range covers now, so a missing blob or an unreachable store fails before a response starts.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_current is null && _remaining > 0)
        {
            await OpenNextAsync(cancellationToken);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_remaining > 0 && buffer.Length > 0)
        {
            if (_current is null && !await OpenNextAsync(cancellationToken))
            {
                return 0;
            }

            var want = (int)Math.Min(buffer.Length, _partRemaining);
            var read = await _current!.ReadAsync(buffer[..want], cancellationToken);
            if (read == 0)
            {
                if (_partRemaining > 0)
                {
                    throw new InvalidDataException("A blob of the object ends before its listed length.");
                }

                continue;
            }

            _position += read;
            _remaining -= read;
            _partRemaining -= read;
            if (_partRemaining == 0)
            {
                await _current.DisposeAsync();
                _current = null;
            }

            return read;
        }

        return 0;
    }

    /// <summary>Opens the blob holding <see cref="_position"/>, for the bytes of it the range covers.</summary>
    private async Task<bool> OpenNextAsync(CancellationToken cancellationToken)
    {
        long start = 0;
        for (var i = 0; i < _parts.Count; i++)
        {
            var (blobId, length) = _parts[i];
            if (_position < start + length)
            {
                if (!BlobId.TryParse(blobId, out var id))
                {
                    throw new InvalidDataException("An object names an invalid blob.");
                }

                var within = _position - start;
                var wanted = Math.Min(_remaining, length - within);
                _partRemaining = wanted;
                if (_decrypt is not null)
                {
                    var stored = await BlobStream.OpenAsync(_blobs, id, [(0, ChunkedAesGcm.HeaderSize), ChunkedAesGcm.StoredSpan(length, within, wanted)], cancellationToken);
                    _current = _decrypt(stored, length, within, wanted);
                    return true;
                }

                _current = (await _blobs.OpenRangeAsync(id, within, wanted, cancellationToken)).Content;
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
