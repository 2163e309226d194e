using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Observability;

/// <summary>
/// Log messages with stable event ids. None takes a key, secret, signature, token or body: the
/// principal ARN and access key id are identifiers, not secrets (AWS logs them in CloudTrail too).
/// </summary>
internal static partial class RequestLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "{Method} {Service} {Operation} {Principal} {Status} {DurationMs:0.0}ms {RequestId}")]
    public static partial void Request(ILogger logger, string method, string service, string operation, string principal, int status, double durationMs, string requestId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled failure in {Service} {Operation} {RequestId}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string service, string operation, string requestId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Request {RequestId} failed after the response started: {Code}")]
    public static partial void FailedAfterStart(ILogger logger, string requestId, string code);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Request {RequestId} answered 503: {Reason}")]
    public static partial void StoreBusy(ILogger logger, string reason, string requestId);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Cloudkeep listening on {Address}; data in {DataDirectory}; metadata store {Engine}; blobs in {Blobs}; management account {AccountId}")]
    public static partial void Started(ILogger logger, string address, string dataDirectory, string engine, string blobs, string accountId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Removed {Count} temporary blob files left by an interrupted write")]
    public static partial void CollectedTemporaryFiles(ILogger logger, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "The blob store {Blobs} could not be reached at start ({Reason}); requests that need it answer 503 until it can")]
    public static partial void BlobStoreUnreachable(ILogger logger, string blobs, string reason);
}
