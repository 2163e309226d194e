using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// What every CloudTrail operation shares: the action "cloudtrail:&lt;Operation&gt;" and its resource,
/// the trail's ARN (named from the request without a lookup, so an unauthorized caller learns
/// nothing about which trails exist), or "*" for the operations on no one trail.
/// </summary>
public abstract class CloudTrailOperation(CloudTrailContext context) : IOperationHandler
{
    public string Service => "cloudtrail";

    public abstract string Operation { get; }

    protected CloudTrailContext Context { get; } = context;

    protected string Action => "cloudtrail:" + Operation;

    /// <summary>The input member naming the trail (Name, TrailName, ResourceId); null for operations on no one trail.</summary>
    protected virtual string? TrailMember => null;

    public virtual ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resource = TrailMember is { } member && request.Input.OptStr(member) is { } name
            ? Trails.ArnOf(name, request.Region, request.Caller.AccountId)
            : "*";
        return ValueTask.FromResult(new AuthorizationTarget(Action, [resource]));
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    protected static ValueTask<OperationResult> Done(JsonObject output) => ValueTask.FromResult(new OperationResult(output));
}
