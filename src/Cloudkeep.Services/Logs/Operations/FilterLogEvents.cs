using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>FilterLogEvents: a group's events across its streams (or the ones named), in time order, that match the filter pattern.</summary>
public sealed class FilterLogEvents(LogsContext logs) : LogsOperation(logs)
{
    private const int ScanBatch = 1_000;

    /// <summary>The most events one call looks at before answering with a token (as the service pages long searches).</summary>
    private const int ScanBudget = 100_000;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.Input.OptArray("logStreamNames").Strings().ToHashSet(StringComparer.Ordinal);
        var prefix = request.Input.OptStr("logStreamNamePrefix");
        if (names.Count > 0 && prefix is not null)
        {
            throw LogsErrors.InvalidParameter.ToException("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }

        var pattern = FilterPattern.Parse(request.Input.OptStr("filterPattern"));
        var group = await GroupAsync(request, cancellationToken);
        var limit = LogsPaging.Limit(request.Input.OptInteger("limit"), 10_000);
        var from = request.Input.OptLong("startTime") ?? long.MinValue;
        var to = request.Input.OptLong("endTime") ?? long.MaxValue;
        var position = request.Input.OptStr("nextToken") is { } token ? LogsPaging.Position(token) : ('g', long.MinValue, "", 0L);
        var after = (position.Item2, position.Item3, position.Item4);
        var found = new JsonArray();
        var scanned = 0;
        var more = false;
        while (found.Count < limit)
        {
            var batch = await Logs.Repository.GroupEventsAsync(group.AccountId, group.Region, group.Name, from, to, after, ScanBatch, cancellationToken);
            foreach (var e in batch)
            {
                after = (e.Timestamp, e.StreamName, e.Sequence);
                scanned++;
                if ((names.Count == 0 || names.Contains(e.StreamName)) && (prefix is null || e.StreamName.StartsWith(prefix, StringComparison.Ordinal)) && pattern.Matches(e.Message))
                {
                    found.Add(new JsonObject
                    {
                        ["logStreamName"] = e.StreamName,
                        ["timestamp"] = e.Timestamp,
                        ["message"] = e.Message,
                        ["ingestionTime"] = e.IngestionTime,
                        ["eventId"] = e.Timestamp.ToString("D20", CultureInfo.InvariantCulture) + e.Sequence.ToString("D20", CultureInfo.InvariantCulture),
                    });
                    if (found.Count == limit)
                    {
                        break;
                    }
                }
            }

            if (batch.Count < ScanBatch && found.Count < limit)
            {
                break;
            }

            if (found.Count == limit || scanned >= ScanBudget)
            {
                more = true;
                break;
            }
        }

        var output = new JsonObject { ["events"] = found, ["searchedLogStreams"] = new JsonArray() };
        if (more)
        {
            output["nextToken"] = LogsPaging.PositionToken('g', after.Item1, after.Item2, after.Item3);
        }

        return new OperationResult(output);
    }
}
