using Cloudkeep.Core.IO;

namespace Cloudkeep.Storage.Blobs;

/// <summary>At most <c>length</c> bytes of an inner stream, which it owns (a file seeked to a range's start, an HTTP response body).</summary>
internal sealed class BoundedReadStream(Stream inner, long length, IDisposable? alsoOwned = null) : ReadOnlyForwardStream
{
    private long _remaining = length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            alsoOwned?.Dispose();
        }

        base.Dispose(disposing);
    }
}
