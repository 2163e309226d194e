namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// A seekable view of one blob for readers that jump (a decryptor reads a header, then the chunks of a range), which
/// reads only what its plan names: each read that does not continue the current range opens one, from the position
/// to the end of the planned span holding it (to the blob's end outside every span). So a range of an encrypted
/// object costs two exact ranged GETs on a remote backend, not a GET of the whole object. The first span is opened
/// by <see cref="OpenAsync"/>, so a missing blob or an unreachable backend shows before anything is answered.
/// </summary>
public sealed class BlobStream : Stream
{
    private readonly IBlobStore _store;
    private readonly BlobId _id;
    private readonly IReadOnlyList<(long Offset, long Length)> _plan;
    private BlobRange? _current;
    private long _currentPosition;
    private long _currentEnd;
    private long _position;

    private BlobStream(IBlobStore store, BlobId id, IReadOnlyList<(long Offset, long Length)> plan, BlobRange first, long start, long end)
    {
        _store = store;
        _id = id;
        _plan = plan;
        _current = first;
        _currentPosition = start;
        _currentEnd = Math.Min(end, first.BlobLength);
        _position = start;
        Length = first.BlobLength;
    }

    /// <summary>Opens the plan's first span (which must not be empty) and stands at its start.</summary>
    public static async Task<BlobStream> OpenAsync(IBlobStore store, BlobId id, IReadOnlyList<(long Offset, long Length)> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfZero(plan.Count);
        var (offset, length) = plan[0];
        var first = await store.OpenRangeAsync(id, offset, length, cancellationToken);
        return new BlobStream(store, id, plan, first, offset, offset + length);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= Length)
        {
            return 0;
        }

        if (_current is null || _currentPosition != _position || _currentPosition >= _currentEnd)
        {
            await ReopenAsync(cancellationToken);
        }

        var read = await _current!.Content.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _currentEnd - _currentPosition)], cancellationToken);
        _currentPosition += read;
        _position += read;
        return read;
    }

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }

        var end = Length;
        foreach (var (offset, length) in _plan)
        {
            if (_position >= offset && _position < offset + length)
            {
                end = Math.Min(offset + length, Length);
                break;
            }
        }

        _current = await _store.OpenRangeAsync(_id, _position, end - _position, cancellationToken);
        _currentPosition = _position;
        _currentEnd = end;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }
}
