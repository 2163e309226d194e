using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Cloudkeep.Server.Tests;

/// <summary>A real SMTP server on a free loopback port, keeping what it receives.</summary>
internal sealed class SmtpCapture : MessageStore, IAsyncDisposable
{
    private readonly Channel<MimeMessage> _messages = Channel.CreateUnbounded<MimeMessage>();
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    public int Port { get; private set; }

    public static Task<SmtpCapture> StartAsync()
    {
        var capture = new SmtpCapture();
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            capture.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, capture.Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(capture);
        capture._server = new SmtpServer.SmtpServer(options, services);
        capture._running = capture._server.StartAsync(capture._stop.Token);
        return Task.FromResult(capture);
    }

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(buffer.ToArray());
        await _messages.Writer.WriteAsync(await MimeMessage.LoadAsync(stream, cancellationToken), cancellationToken);
        return SmtpResponse.Ok;
    }

    public async Task<MimeMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _messages.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next message if one arrives within <paramref name="wait"/>, else null (for checks that nothing is sent).</summary>
    public async Task<MimeMessage?> NextWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server?.Shutdown();
        try
        {
            await (_running ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
