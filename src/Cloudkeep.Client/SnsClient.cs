using System.Net.Http.Headers;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// SNS over its query protocol (form POST, Action=..., Version=2010-03-31, SigV4 service "sns"), the
/// only protocol its model has: there is no AWSSDK.SimpleNotificationService package here. Regional:
/// each call names its region. Answers are read as XML by local names.
/// </summary>
public sealed class SnsClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    public async Task<XElement> CallAsync(string action, string region, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-03-31") };
        form.AddRange(parameters);
        var body = await new FormUrlEncodedContent(form).ReadAsByteArrayAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        SigV4.Sign(request, body, await credentials.GetCredentialsAsync(), region, "sns", time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new UnreadableAnswerException($"SNS {action}: HTTP {(int)response.StatusCode} with an answer that is not XML");
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new SnsException(action, IamClient.Child(error, "Code") ?? $"HTTP{(int)response.StatusCode}", IamClient.Child(error, "Message") ?? "");
        }

        return root;
    }

    /// <summary>Every member of a list SNS pages with NextToken, by the list element's local name.</summary>
    public async Task<List<XElement>> ListAsync(string action, string region, IEnumerable<KeyValuePair<string, string>> parameters, string listName, CancellationToken cancellationToken)
    {
        var items = new List<XElement>();
        string? next = null;
        do
        {
            var call = parameters.ToList();
            if (next is not null)
            {
                call.Add(new("NextToken", next));
            }

            var root = await CallAsync(action, region, call, cancellationToken);
            items.AddRange(root.Descendants().FirstOrDefault(e => e.Name.LocalName == listName)?.Elements() ?? []);
            next = IamClient.Descendant(root, "NextToken") is { Length: > 0 } token ? token : null;
        }
        while (next is not null);
        return items;
    }

    /// <summary>An attributes map (GetTopicAttributes, GetSubscriptionAttributes): its entry/key/value members.</summary>
    public static Dictionary<string, string> Attributes(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Descendants().Where(e => e.Name.LocalName == "entry")
            .ToDictionary(e => IamClient.Child(e, "key") ?? "", e => IamClient.Child(e, "value") ?? "", StringComparer.Ordinal);
    }
}

/// <summary>An SNS error answer.</summary>
public sealed class SnsException(string action, string code, string message) : Exception($"SNS {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
