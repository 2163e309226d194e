using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// CloudTrail over JSON 1.1 (X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*, SigV4
/// service "cloudtrail"): there is no AWSSDK.CloudTrail package here. Regional: each call names its region.
/// </summary>
public sealed class CloudTrailClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    private const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    public async Task<JsonObject> CallAsync(string action, string region, JsonObject input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", TargetPrefix + action);
        SigV4.Sign(request, body, await credentials.GetCredentialsAsync(), region, "cloudtrail", time.GetUtcNow());
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
            throw new UnreadableAnswerException($"CloudTrail {action}: HTTP {(int)response.StatusCode} with an answer that is not JSON");
        }

        if (!response.IsSuccessStatusCode)
        {
            var type = answer["__type"]?.GetValue<string>() ?? $"HTTP{(int)response.StatusCode}";
            var message = (answer["message"] ?? answer["Message"])?.GetValue<string>() ?? "";
            throw new CloudTrailException(action, type[(type.LastIndexOf('#') + 1)..], message);
        }

        return answer;
    }
}

public sealed class CloudTrailException(string action, string code, string message) : Exception($"CloudTrail {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
