using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>
/// An HTTP endpoint on loopback that records what SNS posts to it, answering each POST with the
/// status the test chose (200 unless told otherwise), like a real subscriber's web server.
/// </summary>
public sealed class HttpSubscriber : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Task _loop;

    public HttpSubscriber()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/sns-endpoint";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>The status the next POSTs are answered with.</summary>
    public int Status { get; set; } = 200;

    public int Count { get; private set; }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>The next message received, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Nothing was delivered to " + Url);
        }
    }

    /// <summary>Whether anything arrives within <paramref name="wait"/> (for checks that something is not delivered).</summary>
    public async Task<Received?> NothingWithinAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
            Count++;
            context.Response.StatusCode = Status;
            context.Response.Close();
            await _received.Writer.WriteAsync(new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone (it stops the listener too): after Stop, the managed HttpListener's Close looks its port up
        // again and binds it to do so, which fails when another test has taken the freed port meanwhile.
        _listener.Close();
        await _loop;
    }
}
