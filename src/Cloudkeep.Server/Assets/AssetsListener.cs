using System.Net;
using Cloudkeep.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Assets;

/// <summary>
/// The assets listener: a second Kestrel endpoint in the same process. A startup filter puts
/// <see cref="AssetsRouter"/> in front of the whole pipeline for connections on that endpoint only, so the
/// host's own code needs one call (<see cref="Add"/>) and the S3 listener is untouched.
/// </summary>
public sealed class AssetsListener
{
    private ListenOptions? _listen;

    private AssetsListener(AssetsOptions options) => Options = options;

    public AssetsOptions Options { get; }

    /// <summary>The URL the listener answers on once started (port 0 resolved; 0.0.0.0 shown as 127.0.0.1).</summary>
    public Uri? Address => _listen?.IPEndPoint is { } bound
        ? new Uri($"http://{(bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString())}:{bound.Port}/")
        : null;

    /// <summary>Adds the listener and its router when <paramref name="options"/> is set; nothing otherwise.</summary>
    public static AssetsListener? Add(WebApplicationBuilder builder, AssetsOptions? options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (options is null)
        {
            return null;
        }

        var endpoint = ListenAddress.Parse(options.Listen, "--assets-listen");
        var listener = new AssetsListener(options);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listener._listen = listen;
        }));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(listener);
        if (options.Upstream == AssetsUpstream.Proxy)
        {
            builder.Services.AddHttpForwarder();
        }

        builder.Services.AddSingleton<IStartupFilter>(new RouterFirst(listener));
        return listener;
    }

    /// <summary>Whether the request came in on the assets endpoint (Kestrel writes the bound port back into its ListenOptions).</summary>
    public bool Owns(HttpContext context)
    {
        if (_listen?.IPEndPoint is not { } bound || context.Connection.LocalPort != bound.Port)
        {
            return false;
        }

        return bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            || (context.Connection.LocalIpAddress is { } local && (local.Equals(bound.Address) || (local.IsIPv4MappedToIPv6 && local.MapToIPv4().Equals(bound.Address))));
    }

    private sealed class RouterFirst(AssetsListener listener) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWhen(listener.Owns, assets => assets.UseMiddleware<AssetsRouter>());
            next(app);
        };
    }
}
