using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Cloudkeep.LoadGenerator;

/// <summary>
/// A minimal AWS query-protocol client (form-encoded POST to "/", XML answer) over one shared
/// HttpClient: enough for the IAM set-up and the STS calls under load.
/// </summary>
internal sealed class QueryClient(HttpClient http, Uri endpoint, QuerySigner signer, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue FormContentType = MediaTypeHeaderValue.Parse(QuerySigner.ContentType);
    private readonly string _host = endpoint.Authority;

    public static string Form(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>A freshly signed request: a new X-Amz-Date and signature every time, as a real client sends.</summary>
    public HttpRequestMessage Build(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = FormContentType;
        foreach (var (name, value) in signer.Sign(_host, body, time.GetUtcNow()))
        {
            if (name is not ("content-type" or "host"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>Sends one call and returns the XML answer; throws with the AWS error on a non-2xx status.</summary>
    public async Task<XElement> CallAsync(params (string Name, string Value)[] parameters)
    {
        using var request = Build(Form(parameters));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{parameters[0].Value}: HTTP {(int)response.StatusCode}: {text}");
        }

        return XElement.Parse(text);
    }

    public static string Find(XElement root, string localName) =>
        root.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value
        ?? throw new InvalidOperationException($"no <{localName}> in the answer: {root}");
}
