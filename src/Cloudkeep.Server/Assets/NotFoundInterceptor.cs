using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloudkeep.Server.Assets;

/// <summary>
/// The response body of an in-process routed request. At its first byte (or at the end, for an answer
/// without a body) it looks at the status S3 chose: 400–404 and 505 are replaced by the site's 404 page,
/// as the Digital Marketplace router's proxy_intercept_errors did; anything else passes through unbuffered.
/// </summary>
internal sealed class NotFoundInterceptor : Stream
{
    private readonly HttpContext _context;
    private readonly Stream _inner;
    private readonly byte[] _page;
    private int _state; // 0 undecided, 1 passing through, 2 replaced

    public NotFoundInterceptor(HttpContext context, Stream inner, byte[] page)
    {
        _context = context;
        _inner = inner;
        _page = page;
    }

    public long BytesWritten { get; private set; }

    public bool Replaced => _state == 2;

    public static bool Intercepts(int status) => status is >= 400 and <= 404 or 505;

    /// <summary>Decides now (the handler is done); writes the page if the status asks for it.</summary>
    public Task FinishAsync() => DecideAsync(CancellationToken.None);

    private async Task DecideAsync(CancellationToken cancellationToken)
    {
        if (_state != 0)
        {
            return;
        }

        var response = _context.Response;
        if (response.HasStarted || !Intercepts(response.StatusCode))
        {
            _state = 1;
            return;
        }

        _state = 2;
        await WritePageAsync(_context, _inner, _page, cancellationToken);
        BytesWritten = HttpMethods.IsHead(_context.Request.Method) ? 0 : _page.Length;
    }

    /// <summary>The 404 page, in place of whatever headers and body were on their way.</summary>
    public static async Task WritePageAsync(HttpContext context, Stream body, byte[] page, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var requestId = response.Headers["x-amz-request-id"];
        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Length;
        response.Headers.CacheControl = "no-cache";
        if (requestId.Count > 0)
        {
            response.Headers["x-amz-request-id"] = requestId;
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await body.WriteAsync(page, cancellationToken);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Once passing through, a write is the inner stream's write, no state machine in between.
        if (_state == 1)
        {
            BytesWritten += buffer.Length;
            return _inner.WriteAsync(buffer, cancellationToken);
        }

        return DecideThenWriteAsync(buffer, cancellationToken);
    }

    private async ValueTask DecideThenWriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await DecideAsync(cancellationToken);
        if (_state == 1)
        {
            BytesWritten += buffer.Length;
            await _inner.WriteAsync(buffer, cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DecideAsync(cancellationToken);
        await _inner.FlushAsync(cancellationToken);
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Installs the interceptor as the response body; the returned feature is the one to restore.</summary>
    public static (NotFoundInterceptor Interceptor, IHttpResponseBodyFeature Original) Install(HttpContext context, byte[] page)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var interceptor = new NotFoundInterceptor(context, original.Stream, page);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(interceptor, original));
        return (interceptor, original);
    }
}
