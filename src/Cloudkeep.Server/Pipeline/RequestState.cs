using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Server.Pipeline;

/// <summary>What the pipeline steps learn about one request, handed from step to step.</summary>
internal sealed class RequestState
{
    public required string RequestId { get; init; }

    public required long StartTimestamp { get; init; }

    /// <summary>The request line's raw path and query, split and (the query) parsed once for every step.</summary>
    public required HttpSignableRequest Signable { get; init; }

    public ServiceModel? Service { get; set; }

    /// <summary>
    /// S3, not merely rest-xml: Route 53 speaks rest-xml too, but signs, buffers and answers errors
    /// the way the query services do.
    /// </summary>
    public bool IsS3 => Service?.SigningName == "s3";

    /// <summary>
    /// The protocol this request speaks: the service's own, or for a service that answers several
    /// (CloudWatch: rpc-v2-cbor, json, query) the one the request's path and headers name.
    /// </summary>
    public ServiceProtocol Protocol => WireProtocol ?? Service?.Protocol ?? FallbackProtocol;

    /// <summary>Set by the resolve step when the service answers more than one protocol.</summary>
    public ServiceProtocol? WireProtocol { get; set; }

    /// <summary>The protocol whose error shape a failure is written in: Route 53's errors are the query services' ErrorResponse.</summary>
    public ServiceProtocol ErrorProtocol => Service is null ? FallbackProtocol
        : Service.Protocol == ServiceProtocol.RestXml && !IsS3 ? ServiceProtocol.Query
        : Protocol;

    /// <summary>The protocol an error is written in when no service could be resolved.</summary>
    public ServiceProtocol FallbackProtocol { get; set; } = ServiceProtocol.Query;

    /// <summary>The bucket named by a virtual-hosted-style host (bucket.s3.domain), if any.</summary>
    public string? HostBucket { get; set; }

    public OperationModel? Operation { get; set; }

    public IOperationHandler? Handler { get; set; }

    public Caller Caller { get; set; } = Caller.Anonymous;

    public string Region { get; set; } = "us-east-1";

    public SigV4Signature? Signature { get; set; }

    /// <summary>Signed in the query string (SigV4 or SigV2 pre-signed): x-amz-* query parameters then stand for headers.</summary>
    public bool QueryAuthenticated { get; set; }

    /// <summary>Authenticated by a signature-version-2 signature (a SigV2 pre-signed URL or POST policy).</summary>
    public bool SignedWithSigV2 { get; set; }

    /// <summary>The body of a query or JSON request, read once within the size limit.</summary>
    public byte[]? BufferedBody { get; set; }

    /// <summary>The verified body stream of an S3 request (decoded aws-chunked, hash-checked).</summary>
    public Stream? BodyStream { get; set; }

    public Dictionary<string, string>? FormParameters { get; set; }

    public Dictionary<string, string>? UriLabels { get; set; }

    public JsonObject? Input { get; set; }

    /// <summary>A browser-based POST upload's form, read by the authenticate step (its policy signs the request).</summary>
    public S3PostForm? PostForm { get; set; }

    /// <summary>Set for a browser-based POST upload: how to answer once PutObject has run.</summary>
    public PostUploadResult? PostUpload { get; set; }

    /// <summary>The request as its service sees it, made by the authorize step and run by the handler step.</summary>
    public OperationRequest? Request { get; set; }

    /// <summary>The handler's output, for the record step.</summary>
    public JsonObject? Output { get; set; }

    /// <summary>The account owning the resource the authorize step was told of (the second copy of a cross-account CloudTrail event).</summary>
    public string? ResourceAccount { get; set; }

    /// <summary>A request whose signature did not verify: the access key it named and, when the key exists, its principal (recorded, never trusted).</summary>
    public string? ClaimedAccessKeyId { get; set; }

    public Caller? ClaimedCaller { get; set; }

    /// <summary>The request's state, kept as a typed feature of the connection's request (not in HttpContext.Items).</summary>
    public static RequestState Get(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Features.Get<RequestState>()!;
}
