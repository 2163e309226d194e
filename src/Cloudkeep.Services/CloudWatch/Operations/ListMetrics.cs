using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// ListMetrics: the metrics with data in the last two weeks (or, with RecentlyActive PT3H, the
/// last three hours), filtered by namespace, name and dimensions (a filter without a value
/// matches any value of that dimension), 500 a page.
/// </summary>
public sealed class ListMetrics(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    private const int PageSize = 500;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var filters = input.OptArray("Dimensions").Objects().Select(f => (Name: f.Str("Name"), Value: f.OptStr("Value"))).ToList();
        var now = CloudWatch.Time.GetUtcNow();
        var since = input.OptStr("RecentlyActive") == "PT3H" ? now - TimeSpan.FromHours(3) : now - TimeSpan.FromDays(14);
        var offset = MetricInputs.Offset(input.OptStr("NextToken"));
        var metrics = (await CloudWatch.Repository.ListMetricsAsync(request.Caller.AccountId, request.Region, input.OptStr("Namespace"), input.OptStr("MetricName"), since, cancellationToken))
            .Where(m =>
            {
                var dimensions = m.DimensionList();
                return filters.All(f => dimensions.Any(d => d.Key == f.Name && (f.Value is null || d.Value == f.Value)));
            })
            .ToList();
        var page = metrics.Skip(offset).Take(PageSize).ToList();
        var output = new JsonObject { ["Metrics"] = new JsonArray([.. page.Select(m => (JsonNode)MetricInputs.MetricOutput(m))]) };
        if (offset + page.Count < metrics.Count)
        {
            output["NextToken"] = MetricInputs.OffsetToken(offset + page.Count);
        }

        return new OperationResult(output);
    }
}
