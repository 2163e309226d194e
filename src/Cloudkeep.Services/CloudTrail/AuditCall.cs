using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// What the record step captures of one request, cheaply, on the request's own path: references to
/// what the earlier steps already hold (the caller, the decoded input, the handler's output), never a
/// copy. The CloudTrail record is made from it as soon as the request is answered, still on its path
/// (<see cref="AuditRecords"/>), so that none of what it references outlives the request.
/// </summary>
public sealed record AuditCall
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>The service's signing name (iam, sts, s3, kms, organizations, route53, cloudtrail); null when none was resolved.</summary>
    public required string? Service { get; init; }

    /// <summary>The operation's model name; null when the request never got that far (a bad signature, an unknown action).</summary>
    public required string? Operation { get; init; }

    public required Caller Caller { get; init; }

    /// <summary>For a request that failed authentication: the principal its access key names (the signature did not match), if the key exists.</summary>
    public Caller? ClaimedCaller { get; init; }

    /// <summary>The access key a request that failed authentication was signed with.</summary>
    public string? ClaimedAccessKeyId { get; init; }

    public required string Region { get; init; }

    public required string RequestId { get; init; }

    public string? SourceIp { get; init; }

    public string? UserAgent { get; init; }

    public JsonObject? Input { get; init; }

    public JsonObject? Output { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>The account owning the resource the request named, when the operation's target says so.</summary>
    public string? ResourceAccount { get; init; }

    /// <summary>
    /// The AWS service that made the call on the caller's behalf (userIdentity.invokedBy, and the event's
    /// sourceIPAddress and userAgent, as AWS records them). With an anonymous caller, the service itself
    /// called: userIdentity type AWSService, recorded in <see cref="ResourceAccount"/>.
    /// </summary>
    public string? InvokedBy { get; init; }

    /// <summary>
    /// eventType when the event is not an API call: "AwsConsoleSignIn" for sign-in events
    /// (signin.amazonaws.com), whose <see cref="Output"/> (responseElements, e.g. {"ConsoleLogin": "Success"})
    /// and <see cref="AdditionalEventData"/> keep AWS's member names as given. Null: "AwsApiCall".
    /// </summary>
    public string? EventType { get; init; }

    /// <summary>additionalEventData (a sign-in's LoginTo, MFAUsed, MFAIdentifier, ...); null writes none.</summary>
    public IReadOnlyDictionary<string, string>? AdditionalEventData { get; init; }

    /// <summary>Made by a console page for a signed-in person: the record says <c>"sessionCredentialFromConsole": "true"</c>, as AWS's does.</summary>
    public bool FromConsole { get; init; }
}
