using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>
/// PutLogEvents with the service's quotas ("PutLogEvents", CloudWatch Logs API reference): 1 to
/// 10,000 events, 1 MiB a batch counting 26 bytes an event, 256 KiB an event, chronological and
/// within 24 hours; events more than 2 hours ahead, older than 14 days or than the group's
/// retention are rejected and reported. Sequence tokens are accepted and ignored, as they are now.
/// </summary>
public sealed class PutLogEvents(LogsContext logs) : LogsOperation(logs)
{
    private const int MaxEvents = 10_000;
    private const int MaxBatchBytes = 1_048_576;
    private const int MaxEventBytes = 262_144;
    private const int EventOverhead = 26;

    protected override bool OnStream => true;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = request.Input.OptArray("logEvents").Objects().Select(e => (Timestamp: e.OptLong("timestamp") ?? 0, Message: e.OptStr("message") ?? "")).ToList();
        if (events.Count is 0 or > MaxEvents)
        {
            throw LogsErrors.InvalidParameter.ToException("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and 10000");
        }

        if (events.Any(e => Encoding.UTF8.GetByteCount(e.Message) + EventOverhead > MaxEventBytes))
        {
            throw LogsErrors.InvalidParameter.ToException("Log event too large: the maximum size of a log event is 256 KB.");
        }

        if (events.Sum(e => (long)Encoding.UTF8.GetByteCount(e.Message) + EventOverhead) > MaxBatchBytes)
        {
            throw LogsErrors.InvalidParameter.ToException("Upload too large: the maximum batch size is 1,048,576 bytes.");
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Timestamp < events[i - 1].Timestamp)
            {
                throw LogsErrors.InvalidParameter.ToException("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }

        if (events[^1].Timestamp - events[0].Timestamp > (long)TimeSpan.FromHours(24).TotalMilliseconds)
        {
            throw LogsErrors.InvalidParameter.ToException("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }

        var group = await GroupAsync(request, cancellationToken);
        var stream = request.Input.Str("logStreamName");
        var now = Logs.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = now - (long)TimeSpan.FromDays(14).TotalMilliseconds;
        var expired = group.RetentionDays is { } days ? now - (long)TimeSpan.FromDays(days).TotalMilliseconds : long.MinValue;
        var newest = now + (long)TimeSpan.FromHours(2).TotalMilliseconds;
        int? tooOldEnd = null, expiredEnd = null, tooNewStart = null;
        var accepted = new List<(long Timestamp, string Message)>();
        for (var i = 0; i < events.Count; i++)
        {
            var at = events[i].Timestamp;
            if (at < expired)
            {
                expiredEnd = i + 1;
            }
            else if (at < oldest)
            {
                tooOldEnd = i + 1;
            }
            else if (at > newest)
            {
                tooNewStart ??= i;
            }
            else
            {
                accepted.Add(events[i]);
            }
        }

        if (accepted.Count > 0 && !await Logs.Repository.AppendAsync(group.AccountId, group.Region, group.Name, stream, accepted, now, cancellationToken))
        {
            throw LogsErrors.ResourceNotFound.ToException("The specified log stream does not exist.");
        }

        if (accepted.Count == 0 && await Logs.Repository.GetStreamAsync(group.AccountId, group.Region, group.Name, stream, cancellationToken) is null)
        {
            throw LogsErrors.ResourceNotFound.ToException("The specified log stream does not exist.");
        }

        var output = new JsonObject { ["nextSequenceToken"] = Guid.NewGuid().ToString("N") };
        if (tooOldEnd is not null || expiredEnd is not null || tooNewStart is not null)
        {
            var rejected = new JsonObject();
            if (tooNewStart is { } n)
            {
                rejected["tooNewLogEventStartIndex"] = n;
            }

            if (tooOldEnd is { } o)
            {
                rejected["tooOldLogEventEndIndex"] = o;
            }

            if (expiredEnd is { } x)
            {
                rejected["expiredLogEventEndIndex"] = x;
            }

            output["rejectedLogEventsInfo"] = rejected;
        }

        return new OperationResult(output);
    }
}
