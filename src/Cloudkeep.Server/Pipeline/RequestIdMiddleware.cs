using System.Diagnostics;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// The pipeline's outer step: gives the request its id (x-amz-request-id / x-amzn-RequestId),
/// turns any failure of the later steps into the protocol's error shape (never a bare 500 page),
/// and writes the one log line and the metrics of the request.
/// </summary>
internal sealed class RequestIdMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly ServerMetrics _metrics;
    private readonly CloudkeepOptions _options;

    private readonly TimeProvider _time;
    private readonly S3AccessLogRecorder _accessLog;
    private readonly AuditRecorder? _audit;
    private readonly UsageRecorder _usage;
    private readonly Storage.Metadata.IMetadataStore _store;

    public RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger, ServerMetrics metrics, CloudkeepOptions options, TimeProvider time, S3AccessLogRecorder accessLog, AuditRecorder audit, UsageRecorder usage, Storage.Metadata.IMetadataStore store)
    {
        _store = store;
        _usage = usage;
        _audit = options.AuditRecording ? audit : null;
        _time = time;
        _accessLog = accessLog;
        _next = next;
        _logger = logger;
        _metrics = metrics;
        _options = options;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var state = new RequestState { RequestId = RequestIds.New(), StartTimestamp = Stopwatch.GetTimestamp(), Signable = new HttpSignableRequest(context.Request) };
        context.Features.Set(state);
        var headers = context.Response.Headers;
        headers["x-amz-request-id"] = state.RequestId;
        headers["x-amzn-RequestId"] = state.RequestId;
        headers["x-amz-id-2"] = ErrorResponder.HostId(state.RequestId);
        headers.Server = "Cloudkeep";
        _metrics.InFlight.Inc();
        string? errorCode = null;
        string? errorMessage = null;
        try
        {
            await _next(context);
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            errorMessage = error.Message;
            if (error.Code is "RequestTimeTooSkewed" or "SignatureDoesNotMatch" or "InvalidSignatureException")
            {
                // The clock signatures are checked against, which SDKs read to correct their skew and
                // retry, as against AWS. (Kestrel's own Date is the system clock: the same in
                // production, but not when a test runs the server on a moved clock.)
                headers.Date = _time.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }

            await RespondAsync(context, state, error);
        }
        catch (BadHttpRequestException bad)
        {
            var error = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? CommonErrors.RequestEntityTooLarge.ToException()
                : S3AuthErrors.IncompleteBody.ToException();
            errorCode = error.Code;
            errorMessage = error.Message;
            await RespondAsync(context, state, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Storage.Metadata.StoreBusyException busy)
        {
            // Contention the store could not order: nothing was committed, so the client's retry is safe.
            RequestLog.StoreBusy(_logger, busy.Message, state.RequestId);
            var error = ErrorResponder.Busy(state);
            errorCode = error.Code;
            errorMessage = error.Message;
            await RespondAsync(context, state, error);
        }
        catch (Exception e) when (e is Storage.Blobs.BlobStoreUnavailableException || (_store.IsUnavailable(e) && !context.RequestAborted.IsCancellationRequested))
        {
            // The blob backend or the metadata store is out of reach: a write whose blob or row failed
            // committed nothing and a read changed nothing, so it is answered as AWS answers a failing-over
            // service, and the client's retry policy takes over.
            RequestLog.StoreBusy(_logger, "store unavailable: " + e.GetBaseException().Message, state.RequestId);
            var error = ErrorResponder.Unavailable(state);
            errorCode = error.Code;
            errorMessage = error.Message;
            await RespondAsync(context, state, error);
        }
        catch (Exception e)
        {
            _metrics.Unexpected.Inc();
            RequestLog.Unhandled(_logger, e, state.Service?.SigningName ?? "-", state.Operation?.Name ?? "-", state.RequestId);
            errorCode = "InternalError";
            errorMessage = "We encountered an internal error. Please try again.";
            await RespondAsync(context, state, ErrorResponder.Internal(state));
        }
        finally
        {
            _metrics.InFlight.Dec();
            var elapsed = Stopwatch.GetElapsedTime(state.StartTimestamp);
            var service = state.Service?.SigningName ?? "-";
            var operation = state.Operation?.Name ?? "-";
            var status = context.Response.StatusCode;
            _metrics.Requests.WithLabels(service, operation, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            _metrics.Duration.WithLabels(service).Observe(elapsed.TotalSeconds);
            if (_options.RequestLogging)
            {
                RequestLog.Request(_logger, context.Request.Method, service, operation, state.Caller.Arn, status, elapsed.TotalMilliseconds, state.RequestId);
            }

            _usage.Record(context, state);
            if (state.IsS3)
            {
                await _accessLog.RecordAsync(context, state, elapsed, errorCode);
            }

            if (_audit is not null && state.Service is not null)
            {
                await _audit.RecordAsync(context, state, errorCode, errorMessage);
            }
        }
    }

    private async Task RespondAsync(HttpContext context, RequestState state, AwsException error)
    {
        if (context.Response.HasStarted)
        {
            // Headers are gone; the only honest signal left is to cut the connection.
            RequestLog.FailedAfterStart(_logger, state.RequestId, error.Code);
            context.Abort();
            return;
        }

        context.Response.Headers.Remove("Content-Length");

        // An error may come before the body was read (a PUT to a missing bucket, sent with Expect:
        // 100-continue): a client that sends the body anyway would have its bytes read as the next
        // request on this connection, so the connection ends with this answer.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            context.Response.Headers.Connection = "close";
        }

        try
        {
            await ErrorResponder.WriteAsync(context, state, error);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // The error writers take any text; should one still fail, the client gets a well-formed 500.
            _metrics.Unexpected.Inc();
            RequestLog.Unhandled(_logger, e, state.Service?.SigningName ?? "-", state.Operation?.Name ?? "-", state.RequestId);
            context.Response.Headers.Remove("Content-Length");
            context.Response.Headers.Remove("x-amzn-ErrorType");
            await ErrorResponder.WriteAsync(context, state, ErrorResponder.Internal(state));
        }
    }
}
