using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>DescribeLogGroups: by name prefix (or a pattern, as a substring), 50 a page unless limit says fewer.</summary>
public sealed class DescribeLogGroups(LogsContext logs) : LogsOperation(logs)
{
    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(new AuthorizationTarget("logs:" + Operation, [LogsContext.GroupArn(request.Region, request.Caller.AccountId, "*")]));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prefix = request.Input.OptStr("logGroupNamePrefix") ?? "";
        var pattern = request.Input.OptStr("logGroupNamePattern");
        if (pattern is not null && prefix.Length > 0)
        {
            throw LogsErrors.InvalidParameter.ToException("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }

        var limit = LogsPaging.Limit(request.Input.OptInteger("limit"), 50);
        var after = LogsPaging.After(request.Input.OptStr("nextToken"));
        var groups = new List<Storage.Metadata.LogGroupRecord>();
        while (groups.Count <= limit)
        {
            var page = await Logs.Repository.ListGroupsAsync(request.Caller.AccountId, request.Region, prefix, after, 200, cancellationToken);
            groups.AddRange(page.Where(g => pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase)));
            if (page.Count < 200)
            {
                break;
            }

            after = page[^1].Name;
        }

        var output = new JsonObject { ["logGroups"] = new JsonArray([.. groups.Take(limit).Select(g => (JsonNode)GroupOutput(g))]) };
        if (groups.Count > limit)
        {
            output["nextToken"] = LogsPaging.Token(groups[limit - 1].Name);
        }

        return new OperationResult(output);
    }
}
