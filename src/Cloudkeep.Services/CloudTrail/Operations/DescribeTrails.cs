using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>
/// cloudtrail:DescribeTrails: the trails the caller sees in the region, or those named in trailNameList
/// (names or ARNs; a name not found is left out, as AWS does). includeShadowTrails (default true)
/// includes multi-region and organization trails whose home is elsewhere.
/// </summary>
public sealed class DescribeTrails(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "DescribeTrails";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.Input.OptArray("trailNameList").Strings().ToList();
        foreach (var name in names)
        {
            Trails.CheckNameOrArn(name);
        }

        var shadows = request.Input.OptBool("includeShadowTrails") ?? true;
        var visible = await Trails.VisibleAsync(Context, request.Caller.AccountId, request.Region, cancellationToken);
        var selected = visible
            .Where(t => shadows || (t.HomeRegion == request.Region && t.AccountId == request.Caller.AccountId))
            .Where(t => names.Count == 0 || names.Contains(t.Arn) || (names.Contains(t.Name) && t.AccountId == request.Caller.AccountId))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        return new OperationResult(new JsonObject { ["trailList"] = new JsonArray([.. selected.Select(t => (JsonNode)t.ToTrailShape())]) });
    }
}
