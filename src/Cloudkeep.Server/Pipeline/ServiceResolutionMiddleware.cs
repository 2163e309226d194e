using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Routing;
using Cloudkeep.Protocol.Serialization;
using Cloudkeep.Protocol.SigV4;
using Cloudkeep.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Step 1: which service, hence which protocol, a request is for (X-Amz-Target, the SigV4
/// credential scope, the host, the query Action), and the request-wide limits checked before
/// anything is parsed.
/// </summary>
internal sealed class ServiceResolutionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ServiceResolver _resolver;
    private readonly CloudkeepOptions _options;

    public ServiceResolutionMiddleware(RequestDelegate next, ServiceResolver resolver, CloudkeepOptions options)
    {
        _next = next;
        _resolver = resolver;
        _options = options;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        var request = context.Request;
        var (hostBucket, s3Host) = ParseHost(request.Host.Host);
        state.HostBucket = hostBucket;

        // Resolve first so even a limit violation is answered in the right protocol's shape.
        var credentialScope = CredentialScope(request, state);
        var credentialService = credentialScope is { Length: 5 } ? credentialScope[3] : null;
        string? formAction = null;
        if (credentialService is null && !s3Host && IsForm(request) && !request.Headers.ContainsKey("X-Amz-Target"))
        {
            // An unsigned query-protocol call names its service only through its Action.
            state.BufferedBody = await BodyReader.ReadBoundedAsync(request, _options.MaxBufferedBodyBytes, context.RequestAborted);
            state.FormParameters = BodyReader.ParseForm(state.BufferedBody);
            formAction = state.FormParameters.GetValueOrDefault("Action");
        }

        var hasTarget = request.Headers.ContainsKey("X-Amz-Target");
        var cborPath = !s3Host && !hasTarget && HttpMethods.IsPost(request.Method) && CborProtocol.TryParsePath(request.Path.Value ?? "", out var cborService, out _)
            ? cborService : null;
        state.FallbackProtocol = hasTarget ? ServiceProtocol.Json
            : cborPath is not null ? ServiceProtocol.RpcV2Cbor
            : s3Host ? ServiceProtocol.RestXml
            : ServiceProtocol.Query;
        state.Service = _resolver.Resolve(
            request.Headers["X-Amz-Target"].ToString(),
            credentialService,
            s3Host,
            () => request.Query["Action"].ToString() is { Length: > 0 } a ? a : formAction,
            cborPath);
        state.WireProtocol = ServiceResolver.ProtocolOf(state.Service, cborPath is not null, hasTarget);
        if (formAction is not null && state.IsS3)
        {
            // A form POST naming an Action is a query-protocol call, just not to a service served here.
            state.Service = null;
            throw CommonErrors.MissingAuthenticationToken.ToException();
        }

        if (HeaderBytes(request) > _options.MaxRequestHeaderBytes)
        {
            throw (state.IsS3 ? S3AuthErrors.RequestHeaderSectionTooLarge : CommonErrors.RequestEntityTooLarge)
                .ToException("Your request header section exceeds the maximum allowed size.");
        }

        state.Region = credentialScope is { Length: 5 } ? credentialScope[2] : state.Region;

        await _next(context);
    }

    internal static bool IsForm(HttpRequest request) =>
        request.Method == HttpMethods.Post
        && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>bucket.s3.domain (virtual-hosted style) names the bucket; s3.domain is S3 path style.</summary>
    internal static (string? Bucket, bool IsS3Host) ParseHost(string host)
    {
        var index = host.IndexOf(".s3.", StringComparison.OrdinalIgnoreCase);
        if (index > 0)
        {
            return (host[..index], true);
        }

        var isS3 = host.StartsWith("s3.", StringComparison.OrdinalIgnoreCase) || host.StartsWith("s3-", StringComparison.OrdinalIgnoreCase);
        return (null, isS3);
    }

    /// <summary>The credential's five parts (key/date/region/service/aws4_request), split once for service and region.</summary>
    private static string[]? CredentialScope(HttpRequest request, RequestState state) =>
        CredentialValue(request, state)?.Split('/');

    private static string? CredentialValue(HttpRequest request, RequestState state)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SigV4Constants.Algorithm, StringComparison.Ordinal))
        {
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            start += "Credential=".Length;
            var end = authorization.IndexOf(',', start);
            return (end < 0 ? authorization[start..] : authorization[start..end]).Trim();
        }

        return state.Signable.Query.TryGetValue("X-Amz-Credential", out var query) && query.Length > 0 ? query : null;
    }

    private static long HeaderBytes(HttpRequest request)
    {
        long total = 0;
        foreach (var (name, values) in request.Headers)
        {
            total += name.Length + 4;
            foreach (var value in values)
            {
                total += value?.Length ?? 0;
            }
        }

        return total;
    }
}
