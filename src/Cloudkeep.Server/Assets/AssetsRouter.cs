using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Cloudkeep.Server.Assets;

/// <summary>
/// The assets listener's front door. It answers what is local (allow-list refusals, /favicon.ico, /robots.txt,
/// refused paths), picks the bucket base for the rest (<see cref="AssetsMap"/>), and either rewrites the
/// request onto that base and lets it continue into this server's own S3 pipeline (in-process: S3 checks the
/// signature, the policy and the conditionals exactly as for a direct request) or forwards it with YARP.
/// Either way S3's 400–404 and 505 become the site's 404 page.
/// </summary>
internal sealed class AssetsRouter
{
    /// <summary>What a GET or HEAD of a public object needs; hop-by-hop, credential and forwarding headers never travel.</summary>
    public static readonly string[] ForwardedRequestHeaders =
        ["Accept", "Accept-Encoding", "Accept-Language", "User-Agent", "Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"];

    private static readonly HashSet<string> Forwarded = new(ForwardedRequestHeaders, StringComparer.OrdinalIgnoreCase);

    private readonly RequestDelegate _next;
    private readonly AssetsOptions _options;
    private readonly ILogger _logger;
    private readonly AssetsForwarder? _forwarder;

    public AssetsRouter(RequestDelegate next, AssetsOptions options, ILoggerFactory loggers, IServiceProvider services)
    {
        _next = next;
        _options = options;
        _logger = loggers.CreateLogger("Cloudkeep.Assets");
        _forwarder = options.Upstream == AssetsUpstream.Proxy ? new AssetsForwarder(services.GetRequiredService<IHttpForwarder>()) : null;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var client = ClientAddress(context);
        var route = "-";
        long bytes = 0;
        try
        {
            if (_options.AllowedNetworks is { } allowed && (client is null || !allowed.Any(n => n.Contains(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client))))
            {
                route = "refused: not on the allow-list";
                bytes = await PlainAsync(context, StatusCodes.Status403Forbidden, "Forbidden\n");
                return;
            }

            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                route = "refused: method";
                context.Response.Headers.Allow = "GET, HEAD";
                bytes = await PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed\n");
                return;
            }

            if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
            {
                route = "refused: a body";
                bytes = await PlainAsync(context, StatusCodes.Status400BadRequest, "Bad Request\n");
                return;
            }

            if (rawPath is "/favicon.ico" or "/robots.txt")
            {
                route = "local";
                var file = rawPath is "/robots.txt" ? _options.Robots : _options.Favicon;
                bytes = file is null
                    ? await PageAsync(context)
                    : await LocalAsync(context, file, rawPath is "/robots.txt" ? "text/plain; charset=utf-8" : "image/x-icon");
                return;
            }

            if (!AssetsMap.TryResolve(_options, rawPath, out var target, out var refusal) || !SignedForS3(request.Query, out refusal))
            {
                route = "refused: " + refusal;
                bytes = await PageAsync(context);
                return;
            }

            route = target.Name;
            if (_forwarder is not null)
            {
                StripHeaders(request.Headers);
                await _forwarder.ForwardAsync(context, target, rawTarget, _options.NotFoundPage);
                bytes = context.Response.ContentLength ?? 0;
                return;
            }

            bytes = await InProcessAsync(context, target, rawTarget);
        }
        finally
        {
            if (_options.AccessLog && _logger.IsEnabled(LogLevel.Information))
            {
                var shown = client?.ToString() ?? "-";
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                AssetsLog.Access(_logger, shown, request.Method, rawPath, route, context.Response.StatusCode, bytes, elapsed);
            }
        }
    }

    /// <summary>
    /// The request becomes the one S3 would get from the real router: Host the base's (the signed host), the raw
    /// target the base's path + the original target, byte for byte. The rest of this server's pipeline runs next.
    /// </summary>
    private async Task<long> InProcessAsync(HttpContext context, AssetsBase target, string rawTarget)
    {
        var request = context.Request;
        StripHeaders(request.Headers);
        var feature = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        feature.RawTarget = target.PathPrefix + rawTarget;
        request.Path = new PathString(target.PathPrefix).Add(request.Path);
        request.Host = new HostString(target.Host);

        var (interceptor, original) = NotFoundInterceptor.Install(context, _options.NotFoundPage);
        try
        {
            await _next(context);
            await interceptor.FinishAsync();
            await context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        return interceptor.BytesWritten;
    }

    private static void StripHeaders(IHeaderDictionary headers)
    {
        List<string>? remove = null;
        foreach (var name in headers.Keys)
        {
            if (!Forwarded.Contains(name) && !string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                (remove ??= []).Add(name);
            }
        }

        foreach (var name in remove ?? [])
        {
            headers.Remove(name);
        }
    }

    /// <summary>
    /// What goes through the assets host must be an S3 request. A path-style base's host (an IP address) is not an
    /// S3 host name, so the query is what could name another service: a pre-signed credential scope (once, and s3)
    /// or a query-protocol Action (IAM, STS), which S3 never uses.
    /// </summary>
    private static bool SignedForS3(IQueryCollection query, out string refusal)
    {
        refusal = "";
        if (query.ContainsKey("Action"))
        {
            refusal = "query names an Action";
            return false;
        }

        if (query.TryGetValue("X-Amz-Credential", out var credential)
            && (credential.Count != 1 || !credential.ToString().EndsWith("/s3/aws4_request", StringComparison.Ordinal)))
        {
            refusal = "credential scope is not s3";
            return false;
        }

        return true;
    }

    /// <summary>
    /// The peer address, or, only when the peer is a configured trusted proxy, the right-most X-Forwarded-For
    /// entry that is not one (entries to its left are whatever the client wrote).
    /// </summary>
    private IPAddress? ClientAddress(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || _options.TrustedProxies.Count == 0 || !IsTrusted(peer))
        {
            return peer;
        }

        var entries = context.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(entries[i], out var address))
            {
                return peer;
            }

            if (!IsTrusted(address))
            {
                // The S3 pipeline then sees the client as aws:SourceIp, as behind AWS's own front doors.
                context.Connection.RemoteIpAddress = address;
                return address;
            }
        }

        return peer;
    }

    private bool IsTrusted(IPAddress address)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _options.TrustedProxies.Any(n => n.Contains(mapped));
    }

    private async Task<long> PageAsync(HttpContext context)
    {
        await NotFoundInterceptor.WritePageAsync(context, context.Response.Body, _options.NotFoundPage, context.RequestAborted);
        return HttpMethods.IsHead(context.Request.Method) ? 0 : _options.NotFoundPage.Length;
    }

    private static async Task<long> LocalAsync(HttpContext context, byte[] content, string contentType, string cacheControl = "public, max-age=3600")
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        context.Response.Headers.CacheControl = cacheControl;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return 0;
        }

        await context.Response.Body.WriteAsync(content, context.RequestAborted);
        return content.Length;
    }

    private static Task<long> PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        return LocalAsync(context, System.Text.Encoding.ASCII.GetBytes(text), "text/plain; charset=utf-8", "no-cache");
    }
}

/// <summary>The access log: one line per request on the assets listener. The query (which carries signatures) is never logged.</summary>
internal static partial class AssetsLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "assets {Client} {Method} {Path} {Route} {Status} {Bytes} {DurationMs:0.0}ms")]
    public static partial void Access(ILogger logger, string client, string method, string path, string route, int status, long bytes, double durationMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Cloudkeep assets router on {Address}, upstream {Upstream}, {Count} bucket bases")]
    public static partial void Started(ILogger logger, string address, string upstream, int count);
}
