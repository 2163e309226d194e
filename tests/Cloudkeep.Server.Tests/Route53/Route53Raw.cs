using System.Text;
using System.Xml.Linq;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// Route 53 requests signed by hand (SigV4, service route53, us-east-1): for what the CLI will not
/// send (a malformed document, a bad id) and to read the HTTP status and the error code together.
/// </summary>
public sealed class Route53Raw(TestServer server) : IDisposable
{
    private readonly HttpClient _http = RawRequest.NewClient();

    public sealed record Answer(int Status, string Code, XDocument? Document, string Text);

    public async Task<Answer> SendAsync(string method, string path, string? body = null, params (string Name, string Value)[] query)
    {
        ArgumentNullException.ThrowIfNull(path);
        var request = new RawRequest
        {
            Method = method,
            PathSegments = [.. path.TrimStart('/').Split('/').Select(RawRequest.Utf8)],
            Body = body is null ? [] : Encoding.UTF8.GetBytes(body),
            ContentType = body is null ? null : "text/xml",
        };
        foreach (var (name, value) in query)
        {
            request.Query.Add((RawRequest.Utf8(name), RawRequest.Utf8(value)));
        }

        using var message = request.ToSignedMessage(new Uri(server.Endpoint), "route53", "us-east-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        XDocument? document = null;
        try
        {
            document = text.Length > 0 ? XDocument.Parse(text) : null;
        }
        catch (System.Xml.XmlException)
        {
        }

        var code = document?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "";
        return new Answer((int)response.StatusCode, code, document, text);
    }

    public void Dispose() => _http.Dispose();
}
