using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// GetMetricData over MetricStat queries (up to 500): each query's statistic per period, newest
/// first unless ScanBy says TimestampAscending, paged by MaxDatapoints. Metric math (Expression)
/// is not evaluated: such a query is answered InvalidParameterValue naming it (README).
/// </summary>
public sealed partial class GetMetricData(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    private const int MaxQueries = 500;
    private const int DefaultMaxDatapoints = 100_800;

    protected override IEnumerable<string>? Namespaces(JsonObject input) =>
        input.OptArray("MetricDataQueries").Objects()
            .Select(q => q.OptObject("MetricStat")?.OptObject("Metric")?.OptStr("Namespace"))
            .OfType<string>();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var queries = input.OptArray("MetricDataQueries").Objects().ToList();
        if (queries.Count is 0 or > MaxQueries)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The collection MetricDataQueries must have between 1 and {MaxQueries} members.");
        }

        var start = MetricInputs.Time(input, "StartTime");
        var end = MetricInputs.Time(input, "EndTime");
        if (start >= end)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException("The parameter StartTime must be less than the parameter EndTime.");
        }

        var maxDatapoints = input.OptInteger("MaxDatapoints") ?? DefaultMaxDatapoints;
        if (maxDatapoints < 1)
        {
            throw CloudWatchErrors.Invalid("MaxDatapoints", maxDatapoints);
        }

        var ascending = input.OptStr("ScanBy") == "TimestampAscending";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            Check(query, ids);
        }

        var now = CloudWatch.Time.GetUtcNow();
        var results = new List<(JsonObject Query, List<(long At, double Value)> Points)>();
        foreach (var query in queries.Where(q => q.OptBool("ReturnData") ?? true))
        {
            var stat = query.OptObject("MetricStat")!;
            var metric = stat.OptObject("Metric")!;
            var identity = MetricInputs.Metric(request.Caller.AccountId, request.Region, metric.Str("Namespace"), metric.Str("MetricName"), MetricInputs.Dimensions(metric.OptArray("Dimensions"), "Dimensions"));
            var period = (int)(stat.OptInteger("Period") ?? 60);
            var statistic = stat.Str("Stat");
            var buckets = await MetricReader.ReadAsync(CloudWatch.Repository, identity, start, end, period, stat.OptStr("Unit"), now, cancellationToken);
            var points = buckets.Select(b => (b.Start, Value: MetricStatistics.Value(b.Value, statistic))).Where(p => p.Value is not null).Select(p => (p.Start, p.Value!.Value)).ToList();
            if (!ascending)
            {
                points.Reverse();
            }

            results.Add((query, points));
        }

        // Paging walks the results in order, datapoint by datapoint: a token is how many were sent.
        var offset = MetricInputs.Offset(input.OptStr("NextToken"));
        var total = results.Sum(r => r.Points.Count);
        var skip = offset;
        var budget = maxDatapoints;
        var output = new JsonArray();
        foreach (var (query, points) in results)
        {
            var taken = points.Skip(skip).Take((int)Math.Min(budget, int.MaxValue)).ToList();
            var complete = skip + taken.Count >= points.Count;
            skip = Math.Max(0, skip - points.Count);
            budget -= taken.Count;
            var metric = query.OptObject("MetricStat")!.OptObject("Metric")!;
            output.Add(new JsonObject
            {
                ["Id"] = query.Str("Id"),
                ["Label"] = query.OptStr("Label") ?? metric.Str("MetricName"),
                ["Timestamps"] = new JsonArray([.. taken.Select(p => (JsonNode)JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(p.At)))]),
                ["Values"] = new JsonArray([.. taken.Select(p => (JsonNode)JsonValue.Create(p.Value))]),
                ["StatusCode"] = complete ? "Complete" : "PartialData",
            });
        }

        var result = new JsonObject { ["MetricDataResults"] = output, ["Messages"] = new JsonArray() };
        if (offset + maxDatapoints < total)
        {
            result["NextToken"] = MetricInputs.OffsetToken((int)(offset + maxDatapoints));
        }

        return new OperationResult(result);
    }

    private static void Check(JsonObject query, HashSet<string> ids)
    {
        var id = query.Str("Id");
        if (!QueryId().IsMatch(id))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The value {id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter and hold only letters, digits and underscores.");
        }

        if (!ids.Add(id))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The value {id} for parameter MetricDataQueries.member.Id is used twice.");
        }

        var stat = query.OptObject("MetricStat");
        var expression = query.OptStr("Expression");
        if ((stat is null) == (expression is null))
        {
            throw CloudWatchErrors.InvalidParameterCombination.ToException($"Exactly one of MetricStat and Expression must be given in query {id}.");
        }

        if (expression is not null)
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The expression of query {id} cannot be evaluated: Cloudkeep answers MetricStat queries only, not metric math.");
        }

        if (stat is null)
        {
            return;
        }

        if (!MetricStatistics.IsStatistic(stat.Str("Stat")))
        {
            throw CloudWatchErrors.Invalid("MetricStat.Stat", stat.Str("Stat"));
        }

        if (!MetricRetention.ValidPeriod(stat.OptInteger("Period") ?? 0))
        {
            throw CloudWatchErrors.InvalidParameterValue.ToException($"The Period of query {id} must be 1, 5, 10, 30 or a multiple of 60.");
        }

        if (stat.OptObject("Metric") is not { } metric || metric.OptStr("Namespace") is null || metric.OptStr("MetricName") is null)
        {
            throw CloudWatchErrors.MissingParameter.ToException($"The MetricStat of query {id} must name the metric's Namespace and MetricName.");
        }
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex QueryId();
}
