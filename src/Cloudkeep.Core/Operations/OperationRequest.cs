using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Core.Operations;

/// <summary>
/// A decoded request as a service sees it: the model-shaped input (member names of the operation's
/// input shape; timestamps as <see cref="DateTimeOffset"/>, blobs as byte arrays) and, for
/// streaming operations, the body. No wire format reaches a service.
/// </summary>
public sealed class OperationRequest
{
    public required string Service { get; init; }

    public required string Operation { get; init; }

    public required JsonObject Input { get; init; }

    public required Caller Caller { get; init; }

    public required string Region { get; init; }

    public required string RequestId { get; init; }

    /// <summary>The client's address (aws:SourceIp).</summary>
    public string SourceIp { get; init; } = "";

    public string? UserAgent { get; init; }

    public string? Referer { get; init; }

    /// <summary>Whether the request came over TLS (aws:SecureTransport).</summary>
    public bool SecureTransport { get; init; }

    /// <summary>
    /// Whether the caller signed with signature version 2 (S3's legacy pre-signed URLs and POST
    /// policies) rather than SigV4: s3:signatureversion is then "AWS", and S3 refuses SSE-KMS.
    /// </summary>
    public bool SignedWithSigV2 { get; init; }

    /// <summary>Whether the request is a browser POST upload (S3 reports its objects as ObjectCreated:Post).</summary>
    public bool IsBrowserPost { get; init; }

    /// <summary>The payload of operations with a streaming input member (S3 PutObject), already verified.</summary>
    public Stream? Body { get; init; }

    /// <summary>
    /// The action and resource pairs authorization denied on a target that answers them one by one
    /// instead of refusing the request (<see cref="AuthorizationTarget.AnswersDeniedResources"/>): S3
    /// DeleteObjects reports such keys as AccessDenied and deletes the others. The action is part of
    /// the pair because one key may be named twice, once with a version (s3:DeleteObjectVersion).
    /// </summary>
    public ISet<(string Action, string Resource)> DeniedResources { get; } = new HashSet<(string Action, string Resource)>();

    /// <summary>What describing the request found, for handling it without looking it up again.</summary>
    public RequestFacts Facts { get; } = new();
}
