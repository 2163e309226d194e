using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// DescribeAlarms: the account's metric alarms in the region, by names or a name prefix (not both),
/// state and action prefix, MaxRecords (default 50) a page. Cloudkeep has no composite alarms, so
/// CompositeAlarms is always empty and the parent/child filters match nothing.
/// </summary>
public sealed class DescribeAlarms(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    protected override IEnumerable<string>? AlarmNames(JsonObject input) => input.OptArray("AlarmNames").Strings();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var names = input.OptArray("AlarmNames")?.Strings().ToHashSet(StringComparer.Ordinal);
        var prefix = input.OptStr("AlarmNamePrefix");
        if (names is not null && prefix is not null)
        {
            throw CloudWatchErrors.InvalidParameterCombination.ToException("AlarmNames and AlarmNamePrefix cannot be specified together.");
        }

        var types = input.OptArray("AlarmTypes")?.Strings().ToList();
        var state = input.OptStr("StateValue");
        var actionPrefix = input.OptStr("ActionPrefix");
        var max = (int)(input.OptInteger("MaxRecords") ?? 50);
        var offset = MetricInputs.Offset(input.OptStr("NextToken"));
        var metricAlarms = types is null || types.Contains("MetricAlarm");
        var composite = input.OptStr("ChildrenOfAlarmName") is not null || input.OptStr("ParentsOfAlarmName") is not null;
        var alarms = !metricAlarms || composite ? [] : (await CloudWatch.Repository.ListAlarmsAsync(request.Caller.AccountId, request.Region, cancellationToken))
            .Where(a => names is null || names.Contains(a.Name))
            .Where(a => prefix is null || a.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Where(a => state is null || a.State == state)
            .Where(a => actionPrefix is null || HasAction(a, actionPrefix))
            .ToList();
        var page = alarms.Skip(offset).Take(max).ToList();
        var output = new JsonObject
        {
            ["MetricAlarms"] = new JsonArray([.. page.Select(a => (JsonNode)AlarmOutput.Describe(a))]),
            ["CompositeAlarms"] = new JsonArray(),
        };
        if (offset + page.Count < alarms.Count)
        {
            output["NextToken"] = MetricInputs.OffsetToken(offset + page.Count);
        }

        return new OperationResult(output);
    }

    private static readonly string[] ActionMembers = ["OKActions", "AlarmActions", "InsufficientDataActions"];

    private static bool HasAction(MetricAlarmRecord alarm, string prefix)
    {
        var definition = JsonNode.Parse(alarm.Definition)!.AsObject();
        return ActionMembers.Any(m => definition.OptArray(m).Strings().Any(a => a.StartsWith(prefix, StringComparison.Ordinal)));
    }
}

/// <summary>DescribeAlarmsForMetric: the alarms on one metric (namespace and name; statistic, dimensions, period and unit when given).</summary>
public sealed class DescribeAlarmsForMetric(CloudWatchContext cloudWatch) : CloudWatchOperation(cloudWatch)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var ns = input.Str("Namespace");
        var name = input.Str("MetricName");
        var statistic = input.OptStr("Statistic") ?? input.OptStr("ExtendedStatistic");
        var dimensions = input.OptArray("Dimensions") is { } given ? MetricIdentity.CanonicalDimensions(MetricInputs.Dimensions(given, "Dimensions")) : null;
        var period = input.OptInteger("Period");
        var unit = input.OptStr("Unit");
        var matching = new List<JsonNode>();
        foreach (var alarm in await CloudWatch.Repository.ListAlarmsAsync(request.Caller.AccountId, request.Region, cancellationToken))
        {
            AlarmDefinition definition;
            try
            {
                definition = AlarmDefinition.Read(JsonNode.Parse(alarm.Definition)!.AsObject());
            }
            catch (Core.Errors.AwsException)
            {
                continue;
            }

            if (definition.Namespace == ns && definition.MetricName == name
                && (statistic is null || definition.Statistic == statistic)
                && (dimensions is null || MetricIdentity.CanonicalDimensions(definition.Dimensions) == dimensions)
                && (period is null || definition.Period == period)
                && (unit is null || definition.Unit == unit))
            {
                matching.Add(AlarmOutput.Describe(alarm));
            }
        }

        return new OperationResult(new JsonObject { ["MetricAlarms"] = new JsonArray([.. matching]) });
    }
}
