using System.Net.Http.Headers;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// IAM over its query protocol (form POST, Action=..., Version=2010-05-08, SigV4 service "iam"):
/// there is no AWSSDK.IdentityManagement package here. Answers are read as XML by local names.
/// </summary>
public sealed class IamClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-08") };
        form.AddRange(parameters);
        var body = await new FormUrlEncodedContent(form).ReadAsByteArrayAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        SigV4.Sign(request, body, await credentials.GetCredentialsAsync(), "us-east-1", "iam", time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new UnreadableAnswerException($"IAM {action}: HTTP {(int)response.StatusCode} with an answer that is not XML");
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new IamException(action, Child(error, "Code") ?? $"HTTP{(int)response.StatusCode}", Child(error, "Message") ?? "");
        }

        return root;
    }

    /// <summary>The answer, or null when IAM says the entity does not exist.</summary>
    public async Task<XElement?> FindAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(action, parameters, cancellationToken);
        }
        catch (IamException e) when (e.Code == "NoSuchEntity")
        {
            return null;
        }
    }

    /// <summary>All members of a paged list (IsTruncated / Marker), by the member elements' local name.</summary>
    public async Task<List<XElement>> ListAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, string listName, CancellationToken cancellationToken)
    {
        var items = new List<XElement>();
        string? marker = null;
        do
        {
            var call = parameters.ToList();
            if (marker is not null)
            {
                call.Add(new("Marker", marker));
            }

            var root = await CallAsync(action, call, cancellationToken);
            var list = root.Descendants().FirstOrDefault(e => e.Name.LocalName == listName);
            items.AddRange(list?.Elements() ?? []);
            marker = Child(root.Descendants().FirstOrDefault(e => e.Name.LocalName.EndsWith("Result", StringComparison.Ordinal)), "IsTruncated") == "true"
                ? Child(root.Descendants().First(e => e.Name.LocalName.EndsWith("Result", StringComparison.Ordinal)), "Marker")
                : null;
        }
        while (marker is not null);
        return items;
    }

    public static string? Child(XElement? element, string name) => element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public static string? Descendant(XElement element, string name) => element.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}

/// <summary>An IAM error answer.</summary>
public sealed class IamException(string action, string code, string message) : Exception($"IAM {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
