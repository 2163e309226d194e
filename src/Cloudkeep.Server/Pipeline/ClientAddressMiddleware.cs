using System.Net;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Step 0, for the API and the console alike: behind a reverse proxy, aws:SourceIp must be the
/// browser's or client's address, not the proxy's. Only when the peer is a configured trusted proxy
/// (--trusted-proxy; none by default, so X-Forwarded-For is ignored) is the right-most
/// X-Forwarded-For entry that is not itself a trusted proxy taken as the client (entries to its left
/// are whatever the client wrote and are never believed).
/// </summary>
internal sealed class ClientAddressMiddleware(RequestDelegate next, IReadOnlyList<IPNetwork> trusted)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (ClientAddress(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString(), trusted) is { } client)
        {
            context.Connection.RemoteIpAddress = client;
        }

        return next(context);
    }

    /// <summary>The forwarded client address to believe, or null to keep the peer's.</summary>
    internal static IPAddress? ClientAddress(IPAddress? peer, string forwardedFor, IReadOnlyList<IPNetwork> trusted)
    {
        if (peer is null || trusted.Count == 0 || !IsTrusted(peer, trusted) || forwardedFor.Length == 0)
        {
            return null;
        }

        var entries = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(entries[i], out var address))
            {
                return null;
            }

            if (!IsTrusted(address, trusted))
            {
                return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            }
        }

        return null;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trusted)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return trusted.Any(n => n.Contains(mapped));
    }
}
