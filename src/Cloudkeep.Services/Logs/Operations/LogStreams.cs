using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

public sealed class CreateLogStreamOperation(LogsContext logs) : LogsOperation(logs)
{
    public override string Operation => "CreateLogStream";

    protected override bool OnStream => true;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Input.Str("logStreamName");
        CheckStreamName(name);
        var group = await GroupAsync(request, cancellationToken);
        if (!await Logs.Repository.InsertStreamAsync(group.AccountId, group.Region, group.Name, name, Logs.Time.GetUtcNow(), cancellationToken))
        {
            throw LogsErrors.ResourceAlreadyExists.ToException("The specified log stream already exists");
        }

        return OperationResult.Empty;
    }
}

public sealed class DeleteLogStreamOperation(LogsContext logs) : LogsOperation(logs)
{
    public override string Operation => "DeleteLogStream";

    protected override bool OnStream => true;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        if (!await Logs.Repository.DeleteStreamAsync(group.AccountId, group.Region, group.Name, request.Input.Str("logStreamName"), cancellationToken))
        {
            throw LogsErrors.ResourceNotFound.ToException("The specified log stream does not exist.");
        }

        return OperationResult.Empty;
    }
}

/// <summary>DescribeLogStreams: by name prefix (LogStreamName order) or by last event time, 50 a page unless limit says fewer.</summary>
public sealed class DescribeLogStreams(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        var prefix = request.Input.OptStr("logStreamNamePrefix") ?? "";
        var orderBy = request.Input.OptStr("orderBy") ?? "LogStreamName";
        if (orderBy == "LastEventTime" && prefix.Length > 0)
        {
            throw LogsErrors.InvalidParameter.ToException("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }

        var limit = LogsPaging.Limit(request.Input.OptInteger("limit"), 50);
        var offset = LogsPaging.Offset(request.Input.OptStr("nextToken"));
        var streams = (await Logs.Repository.ListStreamsAsync(group.AccountId, group.Region, group.Name, cancellationToken))
            .Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
        streams = orderBy == "LastEventTime" ? streams.OrderBy(s => s.LastEvent ?? 0).ThenBy(s => s.Name, StringComparer.Ordinal) : streams;
        if (request.Input.OptBool("descending") == true)
        {
            streams = streams.Reverse();
        }

        var all = streams.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var output = new JsonObject
        {
            ["logStreams"] = new JsonArray([.. page.Select(s =>
            {
                var item = new JsonObject
                {
                    ["logStreamName"] = s.Name,
                    ["creationTime"] = s.CreatedAt.ToUnixTimeMilliseconds(),
                    ["arn"] = LogsContext.StreamArn(group.Region, group.AccountId, group.Name, s.Name),
                    ["storedBytes"] = 0,
                };
                if (s.FirstEvent is { } first)
                {
                    item["firstEventTimestamp"] = first;
                    item["lastEventTimestamp"] = s.LastEvent;
                    item["lastIngestionTime"] = s.LastIngestion;
                }

                return (JsonNode)item;
            })]),
        };
        if (offset + limit < all.Count)
        {
            output["nextToken"] = LogsPaging.OffsetToken(offset + limit);
        }

        return new OperationResult(output);
    }
}
