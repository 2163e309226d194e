using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// One call of an AWS JSON 1.0 or 1.1 service (X-Amz-Target, SigV4), for the services with no AWSSDK
/// package here: the answer as JSON, or the service's error code and message for the caller's
/// exception. An answer that is not JSON is <see cref="UnreadableAnswerException"/>.
/// </summary>
internal static class AwsJsonCall
{
    public sealed record Service(string Label, string SigningName, string TargetPrefix, string JsonVersion = "1.1");

    public static async Task<JsonObject> SendAsync(
        HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time, Service service, string region, string action, JsonObject input,
        Func<string, string, Exception> error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(error);
        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-" + service.JsonVersion);
        request.Headers.Add("X-Amz-Target", service.TargetPrefix + action);
        SigV4.Sign(request, body, await credentials.GetCredentialsAsync(), region, service.SigningName, time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw new UnreadableAnswerException($"{service.Label} {action}: HTTP {(int)response.StatusCode} with an answer that is not JSON");
        }

        if (!response.IsSuccessStatusCode)
        {
            // __type may carry a namespace prefix ("com.amazonaws...#Code"), as botocore strips it.
            var type = answer["__type"]?.GetValue<string>() ?? $"HTTP{(int)response.StatusCode}";
            var message = (answer["message"] ?? answer["Message"])?.GetValue<string>() ?? "";
            throw error(type[(type.LastIndexOf('#') + 1)..], message);
        }

        return answer;
    }
}
