using Cloudkeep.Core.IO;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Bytes already read from a body, then the rest of it: lets a body that turned out large continue
/// into a blob, or an object's first bytes be checked before its response starts.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest, bool ownsRest = false) : ReadOnlyForwardStream
{
    private int _offset;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < prefix.Length)
        {
            var count = Math.Min(buffer.Length, prefix.Length - _offset);
            prefix.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        return await rest.ReadAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsRest)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
