using System.Diagnostics;
using System.Threading.Channels;
using Cloudkeep.Server.Pipeline;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Storage.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Observability;

/// <summary>
/// The pipeline's record step for CloudTrail: every request that reached a service (denied, failed
/// and unauthenticated ones too) becomes one event, or two for a cross-account call.
/// <para>
/// The record is made on the request's own path, once its answer is written, and only the made events
/// (a string each, plus the few values LookupEvents filters on) wait in a bounded queue; the writer
/// stores whatever has queued, up to a batch, in one transaction, at most once per 10 ms unless a full
/// batch waits. Queuing the
/// request's decoded input and output trees instead, to make the records later in batches gathered
/// over a second, kept every request's object graph alive across garbage collections: at saturation
/// that promoted them all to the older generations, and the collector's pauses (a tenth of the wall
/// time) cost more requests per second than making and storing the records did (docs/performance.md,
/// "CloudTrail recording cost"). Nothing is dropped: a full queue makes the finishing request wait for
/// room (back-pressure, counted in <c>cloudkeep_audit_queue_waits_total</c>), and a store that fails is
/// retried with a back-off, the batch kept (<c>cloudkeep_audit_store_failures_total</c>), so a slow or
/// failing store slows requests down rather than losing their events. A clean stop stores what is
/// queued; what a crash (kill -9, power loss) catches in the queue — the events made while the writer
/// stored the previous batch — is the one loss, and a store still failing at stop is counted in
/// <c>cloudkeep_audit_lost_total</c> and logged. After an event is stored, every
/// <see cref="IAuditEventObserver"/> is told of it.
/// </para>
/// </summary>
internal sealed partial class AuditRecorder(
    CloudTrailRepository repository,
    CloudTrailContext cloudTrail,
    ServerMetrics metrics,
    TimeProvider time,
    IEnumerable<IAuditEventObserver> observers,
    ILogger<AuditRecorder> logger) : BackgroundService, IServiceCallRecorder
{
    private const int Capacity = 20_000;
    private const int BatchSize = 1_000;

    private readonly Channel<IReadOnlyList<AuditEvent>> _made = Channel.CreateBounded<IReadOnlyList<AuditEvent>>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IAuditEventObserver[] _observers = [.. observers];
    private volatile bool _stopped;

    /// <summary>
    /// At most one store per this interval unless a full batch waits. Storing whatever had queued at once
    /// gave batches of 8 events at 17,000 requests/s, and each transaction's fixed cost (its WAL pages,
    /// the statements, waking the writer) was most of what an event cost; 10 ms makes them about twenty times
    /// larger at that rate and delays an event's storing by no more than that. Real time, not the injected
    /// clock: this paces the writer's work, it is not a time the estate observes.
    /// </summary>
    private static readonly TimeSpan StorePace = TimeSpan.FromMilliseconds(10);

    /// <summary>Queues the request's event; waits for room when the queue is full (never drops it).</summary>
    public ValueTask RecordAsync(HttpContext context, RequestState state, string? errorCode, string? errorMessage)
    {
        if (state.IsS3 && AuditRecords.IsDataEvent("s3", state.Operation?.Name) && !cloudTrail.RecordsDataEvents(BucketOf(state)))
        {
            // A data event no trail selects is not recorded, as in AWS.
            return ValueTask.CompletedTask;
        }

        AuditCall call;
        try
        {
            call = new AuditCall
            {
                Time = time.GetUtcNow(),
                Service = state.Service?.SigningName,
                Operation = state.Operation?.Name ?? UndecodedOperation(context, state),
                Caller = state.Caller,
                ClaimedCaller = state.Caller.IsAnonymous ? state.ClaimedCaller : null,
                ClaimedAccessKeyId = state.Caller.IsAnonymous ? state.ClaimedAccessKeyId : null,
                Region = state.Region,
                RequestId = state.RequestId,
                SourceIp = context.Connection.RemoteIpAddress?.ToString(),
                UserAgent = context.Request.Headers.UserAgent.ToString(),
                Input = state.Input,
                Output = errorCode is null ? state.Output : null,
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
                ResourceAccount = state.ResourceAccount,
            };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.AuditLost.Inc();
            CaptureFailed(logger, exception, state.RequestId);
            return ValueTask.CompletedTask;
        }

        return RecordAsync(call);
    }

    /// <summary>An operation a console page ran in process for the signed-in person (the console's own record step).</summary>
    public ValueTask RecordConsoleAsync(OperationRequest request, string? resourceAccount, System.Text.Json.Nodes.JsonObject? output, Core.Errors.AwsException? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service == "s3" && AuditRecords.IsDataEvent("s3", request.Operation)
            && !cloudTrail.RecordsDataEvents(request.Input["Bucket"] is System.Text.Json.Nodes.JsonValue bucket && bucket.TryGetValue<string>(out var name) ? name : null))
        {
            return ValueTask.CompletedTask;
        }

        return RecordAsync(new AuditCall
        {
            Time = time.GetUtcNow(),
            Service = request.Service,
            Operation = request.Operation,
            Caller = request.Caller,
            Region = request.Region,
            RequestId = request.RequestId,
            SourceIp = request.SourceIp,
            UserAgent = request.UserAgent,
            Input = request.Input,
            Output = output,
            ErrorCode = error?.Code,
            ErrorMessage = error?.Message,
            ResourceAccount = resourceAccount,
            FromConsole = true,
        });
    }

    /// <summary>A call a service made on its own (no request): queued like a request's, never dropped.</summary>
    public ValueTask RecordAsync(AuditCall serviceCall)
    {
        IReadOnlyList<AuditEvent> made;
        try
        {
            made = AuditRecords.Build(serviceCall);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.AuditLost.Inc();
            CaptureFailed(logger, exception, serviceCall.RequestId);
            return ValueTask.CompletedTask;
        }

        if (made.Count == 0)
        {
            metrics.AuditUnattributed.Inc();
            return ValueTask.CompletedTask;
        }

        if (_stopped)
        {
            return new ValueTask(StoreLateAsync(made));
        }

        if (_made.Writer.TryWrite(made))
        {
            return ValueTask.CompletedTask;
        }

        metrics.AuditQueueWaits.Inc();
        return _made.Writer.WriteAsync(made, CancellationToken.None);
    }

    private static string? BucketOf(RequestState state) =>
        state.Input?["Bucket"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var name) ? name
        : state.UriLabels?.GetValueOrDefault("Bucket") ?? state.HostBucket;

    /// <summary>
    /// The operation of a request refused before it was decoded (a bad signature): its X-Amz-Target, or a
    /// query service's Action, when the service's model has it; null otherwise (recorded as "Unknown").
    /// </summary>
    private static string? UndecodedOperation(HttpContext context, RequestState state)
    {
        if (state.Service is not { } service || state.IsS3)
        {
            return null;
        }

        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var name = target.Length > 0 ? target[(target.LastIndexOf('.') + 1)..]
            : state.Signable.Query.TryGetValue("Action", out var fromQuery) ? fromQuery
            : state.BufferedBody is { Length: > 0 } body ? BodyReader.ParseForm(body).GetValueOrDefault("Action")
            : null;
        return name is not null && service.Operations.ContainsKey(name) ? name : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>(BatchSize);
        var refreshed = Stopwatch.GetTimestamp();
        var lastStore = 0L;
        await RefreshSelectionAsync(stoppingToken);
        try
        {
            while (await _made.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a batch gather: at most one store per pace interval unless a full batch waits.
                var since = Stopwatch.GetElapsedTime(lastStore);
                if (since < StorePace && _made.Reader.Count < BatchSize)
                {
                    await Task.Delay(StorePace - since, stoppingToken);
                }

                lastStore = Stopwatch.GetTimestamp();

                // Another node may have changed which trails select data events.
                if (Stopwatch.GetElapsedTime(refreshed) > TimeSpan.FromSeconds(5))
                {
                    refreshed = Stopwatch.GetTimestamp();
                    await RefreshSelectionAsync(stoppingToken);
                }

                // Whatever queued while the previous batch was stored goes in one transaction: a busy
                // server's batches grow by themselves, and no event waits for a batch to fill.
                while (batch.Count < BatchSize && _made.Reader.TryRead(out var made))
                {
                    batch.AddRange(made);
                }

                await StoreAsync(batch, stoppingToken);
                batch = new List<AuditEvent>(BatchSize);
                metrics.AuditQueueDepth.Set(_made.Reader.Count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // A clean stop stores what is still queued; a request finishing after this stores its own event.
        _stopped = true;
        while (_made.Reader.TryRead(out var left))
        {
            batch.AddRange(left);
        }

        await StoreAsync(batch, CancellationToken.None);
    }

    private async Task RefreshSelectionAsync(CancellationToken stoppingToken)
    {
        try
        {
            await cloudTrail.RefreshDataEventSelectionAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            SelectionFailed(logger, exception);
        }
    }

    private async Task StoreLateAsync(IReadOnlyList<AuditEvent> made) => await StoreAsync(made, CancellationToken.None);

    private async Task StoreAsync(IReadOnlyList<AuditEvent> events, CancellationToken stoppingToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var rows = new List<CloudTrailEventRow>(events.Count);
        foreach (var e in events)
        {
            rows.Add(new CloudTrailEventRow(e.EventId, e.RecipientAccountId, e.Region, e.EventTime, e.EventName, e.EventSource, e.Username, e.AccessKeyId, e.ReadOnly, e.Management, e.Record, e.Resources));
        }

        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await repository.AppendEventsAsync(rows, CancellationToken.None);
                metrics.AuditEvents.Inc(rows.Count);
                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                metrics.AuditStoreFailures.Inc();
                StoreFailed(logger, exception, rows.Count, attempt);

                // Stopping: a few more tries, then the loss is counted and logged rather than hidden.
                if (stoppingToken.IsCancellationRequested && attempt >= 5)
                {
                    metrics.AuditLost.Inc(rows.Count);
                    Lost(logger, rows.Count);
                    return;
                }

                await Task.Delay(delay, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }

        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnStoredAsync(events, stoppingToken.IsCancellationRequested ? CancellationToken.None : stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                ObserverFailed(logger, exception, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Could not make the CloudTrail event of request {RequestId}; it is lost (a bug)")]
    private static partial void CaptureFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Could not store {Count} CloudTrail events (attempt {Attempt}); retrying, requests wait when the queue fills")]
    private static partial void StoreFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "{Count} CloudTrail events could not be stored before the server stopped; they are lost")]
    private static partial void Lost(ILogger logger, int count);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Could not read which trails select S3 data events; the last known selection stays")]
    private static partial void SelectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "A CloudTrail event observer ({Observer}) failed")]
    private static partial void ObserverFailed(ILogger logger, Exception exception, string observer);
}
