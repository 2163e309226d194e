using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:GetTrail: a trail the caller sees in the region (its own, a multi-region one's shadow, its organization's).</summary>
public sealed class GetTrail(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "GetTrail";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await Trails.FindAsync(Context, request, request.Input.Str("Name"), cancellationToken);
        return new OperationResult(new JsonObject { ["Trail"] = trail.ToTrailShape() });
    }
}
