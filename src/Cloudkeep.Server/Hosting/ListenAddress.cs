using System.Globalization;
using System.Net;

namespace Cloudkeep.Server.Hosting;

/// <summary>Parses --listen HOST:PORT (IPv6 as [::1]:PORT).</summary>
public static class ListenAddress
{
    public static IPEndPoint Parse(string value, string option = "--listen")
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"{option} must be HOST:PORT, not '{value}'.");
        }

        var host = value[..colon].Trim('[', ']');
        if (host is "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new ArgumentException($"{option} must name an IP address or localhost, not '{host}'.");
    }
}
