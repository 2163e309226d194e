using System.Net;
using System.Text;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Server.Tests.Hostile;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>SigV4-signed S3 requests built by hand, for what the SDKs hide or refuse to send (empty parameters, odd headers).</summary>
internal static class S3Raw
{
    public sealed record Answer(HttpStatusCode Status, string Code, string Text, IReadOnlyDictionary<string, string> Headers);

    /// <summary>A request for /bucket[/key] with "name=value&amp;..." query parameters (values taken literally) and headers.</summary>
    public static RawRequest Request(string method, string bucket, string key = "", string? query = null, params (string Name, string Value)[] headers)
    {
        var request = new RawRequest
        {
            Method = method,
            PathSegments = key.Length == 0 ? [RawRequest.Utf8(bucket)] : [RawRequest.Utf8(bucket), .. key.Split('/').Select(RawRequest.Utf8)],
        };
        foreach (var pair in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            request.Query.Add((RawRequest.Utf8(equals < 0 ? pair : pair[..equals]), RawRequest.Utf8(equals < 0 ? "" : pair[(equals + 1)..])));
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add((name, RawRequest.Utf8(value)));
        }

        return request;
    }

    public static RawRequest WithBody(this RawRequest request, string body)
    {
        request.Body = Encoding.UTF8.GetBytes(body);
        return request;
    }

    public static async Task<Answer> SendAsync(TestServer server, RawRequest request)
    {
        using var http = RawRequest.NewClient();
        using var message = request.ToSignedMessage(new Uri(server.Endpoint), "s3", "eu-west-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var code = (int)response.StatusCode < 300 || body.Length == 0 ? "" : ModelDrivenHostileInputTests.ErrorCode(ServiceProtocol.RestXml, body) ?? "(not an AWS error document)";
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, code, Encoding.UTF8.GetString(body), headers);
    }
}
