using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cloudkeep.Server.Assets;

/// <summary>
/// The "proxy" upstream: YARP's forwarder sends the request over HTTP to a base on another server (a peer
/// Cloudkeep, AWS). Only the headers S3 needs for a GET/HEAD travel; the URL is the base + the raw request
/// target, sent uncanonicalised so the signature S3 checks is over the bytes that were signed.
/// </summary>
internal sealed class AssetsForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = TimeSpan.FromSeconds(100) };

    public AssetsForwarder(IHttpForwarder forwarder)
    {
        _forwarder = forwarder;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ActivityHeadersPropagator = null,
        });
    }

    public async Task ForwardAsync(HttpContext context, AssetsBase target, string rawTarget, byte[] notFoundPage)
    {
        var origin = target.Url.GetLeftPart(UriPartial.Authority);
        var transformer = new Transformer(target, origin + target.PathPrefix + rawTarget, notFoundPage);
        var error = await _forwarder.SendAsync(context, origin, _client, _config, transformer);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    public void Dispose() => _client.Dispose();

    private sealed class Transformer(AssetsBase target, string url, byte[] notFoundPage) : HttpTransformer
    {
        public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            // Not base.TransformRequestAsync: it would copy every header; ours is an allow-list.
            foreach (var name in AssetsRouter.ForwardedRequestHeaders)
            {
                if (httpContext.Request.Headers.TryGetValue(name, out var values))
                {
                    proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
                }
            }

            proxyRequest.RequestUri = new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            proxyRequest.Headers.Host = target.Host;
            return ValueTask.CompletedTask;
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is not null && NotFoundInterceptor.Intercepts((int)proxyResponse.StatusCode))
            {
                await NotFoundInterceptor.WritePageAsync(httpContext, httpContext.Response.Body, notFoundPage, cancellationToken);
                return false;
            }

            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        }
    }
}
