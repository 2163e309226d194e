using System.Net;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// A request body of <c>length</c> bytes written from one small buffer over and over, so a 1 GiB
/// PUT costs the client no memory and the server's memory is what the benchmark sees.
/// </summary>
internal sealed class RepeatingContent : HttpContent
{
    private readonly byte[] _block;
    private readonly long _length;

    public RepeatingContent(byte[] block, long length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(block.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _block = block;
        _length = length;
        Headers.ContentLength = length;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var left = _length;
        while (left > 0)
        {
            var count = (int)Math.Min(left, _block.Length);
            await stream.WriteAsync(_block.AsMemory(0, count), cancellationToken);
            left -= count;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
