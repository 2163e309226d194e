using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.Route53;
using Cloudkeep.Services.Route53.Dns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Dns;

/// <summary>
/// The DNS listener of `serve --dns-listen`: an authoritative, non-recursive name server for the
/// public hosted zones, on UDP and TCP at one address. ARSoft.Tools.Net reads and writes the wire
/// format, and truncates a UDP answer larger than the client allows (512 bytes, or its EDNS size)
/// with the TC bit so the client asks again over TCP.
/// </summary>
public sealed class DnsListener : IHostedService, IDisposable
{
    private readonly DnsZoneCache _cache;
    private readonly ILogger _logger;
    private readonly UsageMeter? _meter;
    private DnsServer? _server;

    public DnsListener(IPEndPoint endPoint, Route53Context context, ILoggerFactory loggers, UsageMeter? meter = null)
    {
        _meter = meter;
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(loggers);
        EndPoint = endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, FreePort(endPoint.Address)) : endPoint;
        _cache = new DnsZoneCache(context);
        _logger = loggers.CreateLogger("Cloudkeep.Dns");
    }

    /// <summary>Where the listener answers; a port of 0 in the option is resolved to one free for both UDP and TCP.</summary>
    public IPEndPoint EndPoint { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new DnsServer(new UdpServerTransport(EndPoint, 5000), new TcpServerTransport(EndPoint, 5000, 120_000));
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.Start();
        DnsLog.Started(_logger, EndPoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Stop();
        _cache.Dispose();
    }

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return;
        }

        var response = query.CreateResponseInstance();
        try
        {
            if (query.OperationCode != OperationCode.Query || query.Questions.Count != 1)
            {
                response.ReturnCode = query.OperationCode == OperationCode.Query ? ReturnCode.FormatError : ReturnCode.NotImplemented;
            }
            else
            {
                var (name, type) = DnsWire.Question(query.Questions[0]);
                var zones = await _cache.GetAsync(CancellationToken.None);
                DnsWire.Fill(response, DnsLookup.Resolve(zones, name, type, Random.Shared.Next));

                // Route 53 bills the zone's owner for every query its zone answers, NXDOMAIN included; a name in no zone is refused and free.
                if (_meter is not null && zones.Find(name) is { } zone)
                {
                    _meter.Count(zone.AccountId, UsageTypes.Global, MeteredUsage.Route53Queries);
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // One bad question must not take the listener down: answer SERVFAIL and say so in the log.
            DnsLog.Failed(_logger, exception, e.RemoteEndpoint?.ToString() ?? "");
            response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.ServerFailure;
        }

        e.Response = response;
    }

    /// <summary>A port free for both TCP and UDP on <paramref name="address"/> (tests ask for port 0).</summary>
    private static int FreePort(IPAddress address)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new TcpListener(address, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No port free for both UDP and TCP was found for --dns-listen.");
    }
}
