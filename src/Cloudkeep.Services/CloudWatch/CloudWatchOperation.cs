using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// The shape CloudWatch's operations share: action cloudwatch:&lt;Operation&gt;; operations on alarms
/// name the alarms' ARNs (arn:aws:cloudwatch:region:account:alarm:name), the metric operations
/// "*" with the condition key cloudwatch:namespace where the service authorization reference
/// lists it ("Actions, resources, and condition keys for Amazon CloudWatch").
/// </summary>
public abstract class CloudWatchOperation(CloudWatchContext cloudWatch) : IOperationHandler
{
    public string Service => CloudWatchErrors.SigningName;

    public virtual string Operation => GetType().Name;

    protected CloudWatchContext CloudWatch { get; } = cloudWatch;

    /// <summary>The alarm names the request acts on; null for an operation on no alarm (resource "*").</summary>
    protected virtual IEnumerable<string>? AlarmNames(JsonObject input) => null;

    /// <summary>The namespaces the request reads or writes, for cloudwatch:namespace; null when the operation has no such key.</summary>
    protected virtual IEnumerable<string>? Namespaces(JsonObject input) => null;

    public virtual ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = AlarmNames(request.Input)?.ToList();
        IReadOnlyList<string> resources = names is null ? ["*"]
            : names.Count == 0 ? [CloudWatchContext.AlarmArn(request.Region, request.Caller.AccountId, "*")]
            : [.. names.Distinct(StringComparer.Ordinal).Select(n => CloudWatchContext.AlarmArn(request.Region, request.Caller.AccountId, n))];
        var namespaces = Namespaces(request.Input)?.Distinct(StringComparer.Ordinal).ToList();
        var keys = namespaces is { Count: > 0 }
            ? new Dictionary<string, IReadOnlyList<string>> { ["cloudwatch:namespace"] = namespaces }
            : null;
        return ValueTask.FromResult(new AuthorizationTarget("cloudwatch:" + Operation, resources, keys));
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);
}
