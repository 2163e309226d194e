using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// CloudTrail over JSON 1.1 (X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*, SigV4
/// service "cloudtrail"): there is no AWSSDK.CloudTrail package here. Regional: each call names its region.
/// </summary>
public sealed class CloudTrailClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    private static readonly AwsJsonCall.Service Service = new("CloudTrail", "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.");

    public Task<JsonObject> CallAsync(string action, string region, JsonObject input, CancellationToken cancellationToken) =>
        AwsJsonCall.SendAsync(http, endpoint, credentials, time, Service, region, action, input, (code, message) => new CloudTrailException(action, code, message), cancellationToken);
}

public sealed class CloudTrailException(string action, string code, string message) : Exception($"CloudTrail {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
