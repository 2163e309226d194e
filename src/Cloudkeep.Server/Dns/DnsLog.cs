using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Dns;

/// <summary>The DNS listener's log messages, with stable event ids (4000s).</summary>
internal static partial class DnsLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Cloudkeep DNS listening on {EndPoint} (UDP and TCP)")]
    public static partial void Started(ILogger logger, System.Net.IPEndPoint endPoint);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "DNS query from {Client} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string client);
}
