using Cloudkeep.Protocol.SigV4;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloudkeep.Server.Pipeline;

/// <summary>An ASP.NET request as SigV4 sees it: the request line's raw target, not the decoded path.</summary>
internal sealed class HttpSignableRequest : ISignableRequest
{
    private readonly HttpRequest _request;

    public HttpSignableRequest(HttpRequest request)
    {
        _request = request;
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var question = raw.IndexOf('?', StringComparison.Ordinal);
        RawPath = question < 0 ? raw : raw[..question];
        RawQuery = question < 0 ? "" : raw[(question + 1)..];
    }

    public string Method => _request.Method;

    public string RawPath { get; }

    public string RawQuery { get; }

    public IReadOnlyDictionary<string, string> Query => field ??= QueryParameters.Parse(RawQuery);

    public bool TryGetHeader(string name, out string value)
    {
        if (string.Equals(name, "host", StringComparison.OrdinalIgnoreCase))
        {
            value = _request.Host.Value ?? "";
            return _request.Host.HasValue;
        }

        if (_request.Headers.TryGetValue(name, out var values))
        {
            value = values.ToString();
            return true;
        }

        value = "";
        return false;
    }
}
