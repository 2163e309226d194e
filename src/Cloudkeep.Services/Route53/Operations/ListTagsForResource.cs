using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>route53:ListTagsForResource of a hosted zone (health checks are not implemented, so none exist: NoSuchHealthCheck).</summary>
public sealed class ListTagsForResource(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "ListTagsForResource";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Route53Tags.Target(request, Action));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var zone = await Route53Tags.ZoneAsync(Context, request, cancellationToken);
        var tags = await Context.Repository.GetTagsAsync(zone.ZoneId, cancellationToken);
        var set = new JsonObject
        {
            ["ResourceType"] = "hostedzone",
            ["ResourceId"] = zone.ZoneId,
            ["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
        };
        return new OperationResult(new JsonObject { ["ResourceTagSet"] = set });
    }
}
