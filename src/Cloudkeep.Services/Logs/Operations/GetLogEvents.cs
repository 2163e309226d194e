using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>
/// GetLogEvents: one stream's events in time order, from the head (startFromHead) or, by default,
/// the newest; nextForwardToken and nextBackwardToken continue either way, and a forward token
/// at the end returns itself, as the service does.
/// </summary>
public sealed class GetLogEvents(LogsContext logs) : LogsOperation(logs)
{
    protected override bool OnStream => true;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        var stream = request.Input.Str("logStreamName");
        if (await Logs.Repository.GetStreamAsync(group.AccountId, group.Region, group.Name, stream, cancellationToken) is null)
        {
            throw LogsErrors.ResourceNotFound.ToException("The specified log stream does not exist.");
        }

        var limit = LogsPaging.Limit(request.Input.OptInteger("limit"), 10_000);
        var from = request.Input.OptLong("startTime") ?? long.MinValue;
        var to = request.Input.OptLong("endTime") ?? long.MaxValue;
        var token = request.Input.OptStr("nextToken");
        IReadOnlyList<LogEventRecord> events;
        if (token is not null)
        {
            var (direction, at, _, seq) = LogsPaging.Position(token);
            events = direction == 'b'
                ? [.. (await Logs.Repository.StreamEventsBackwardAsync(group.AccountId, group.Region, group.Name, stream, from, to, (at, seq), limit, cancellationToken)).Reverse()]
                : await Logs.Repository.StreamEventsAsync(group.AccountId, group.Region, group.Name, stream, from, to, (at, seq), limit, cancellationToken);
        }
        else if (request.Input.OptBool("startFromHead") == true)
        {
            events = await Logs.Repository.StreamEventsAsync(group.AccountId, group.Region, group.Name, stream, from, to, (long.MinValue, 0), limit, cancellationToken);
        }
        else
        {
            events = [.. (await Logs.Repository.StreamEventsBackwardAsync(group.AccountId, group.Region, group.Name, stream, from, to, (long.MaxValue, long.MaxValue), limit, cancellationToken)).Reverse()];
        }

        var first = events.Count > 0 ? events[0] : null;
        var last = events.Count > 0 ? events[^1] : null;
        var forward = last is not null ? LogsPaging.PositionToken('f', last.Timestamp, "", last.Sequence)
            : token ?? LogsPaging.PositionToken('f', long.MinValue, "", 0);
        var backward = first is not null ? LogsPaging.PositionToken('b', first.Timestamp, "", first.Sequence)
            : LogsPaging.PositionToken('b', long.MinValue, "", 0);
        return new OperationResult(new JsonObject
        {
            ["events"] = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject { ["timestamp"] = e.Timestamp, ["message"] = e.Message, ["ingestionTime"] = e.IngestionTime })]),
            ["nextForwardToken"] = forward,
            ["nextBackwardToken"] = backward,
        });
    }
}
