using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// CloudWatch over JSON 1.0 (X-Amz-Target GraniteServiceVersion20100801.*, SigV4 service "monitoring"),
/// one of the three protocols its model lists: there is no AWSSDK.CloudWatch package here. Regional:
/// each call names its region.
/// </summary>
public sealed class CloudWatchClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    private static readonly AwsJsonCall.Service Service = new("CloudWatch", "monitoring", "GraniteServiceVersion20100801.", "1.0");

    public Task<JsonObject> CallAsync(string action, string region, JsonObject input, CancellationToken cancellationToken) =>
        AwsJsonCall.SendAsync(http, endpoint, credentials, time, Service, region, action, input, (code, message) => new CloudWatchException(action, code, message), cancellationToken);
}

public sealed class CloudWatchException(string action, string code, string message) : Exception($"CloudWatch {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
