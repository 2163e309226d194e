using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// What every Route 53 operation shares: the service, the action "route53:&lt;Operation&gt;", and
/// its resources ("arn:aws:route53:::hostedzone/&lt;id&gt;", "arn:aws:route53:::change/&lt;id&gt;", or "*"
/// for the account-wide ones), named from the request without a lookup so an unauthorized caller
/// learns nothing about which zones exist.
/// </summary>
public abstract class Route53Operation(Route53Context context) : IOperationHandler
{
    public string Service => "route53";

    public abstract string Operation { get; }

    protected Route53Context Context { get; } = context;

    protected string Action => "route53:" + Operation;

    public virtual ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AuthorizationTarget(Action, ["*"]));

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>The hosted zone a member of the input names, as a resource.</summary>
    protected AuthorizationTarget ForZone(OperationRequest request, string member, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = Route53Input.String(request.Input, member) ?? "";
        var id = text.StartsWith(Route53Ids.ZonePrefix, StringComparison.Ordinal) ? text[Route53Ids.ZonePrefix.Length..] : text;
        return new AuthorizationTarget(Action, [Route53Ids.ZoneArn(id)], conditions);
    }

    protected static JsonObject Input(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Input;
    }
}
