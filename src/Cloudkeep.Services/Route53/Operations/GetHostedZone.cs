using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>route53:GetHostedZone: the zone, its delegation set (public) or its VPC (private).</summary>
public sealed class GetHostedZone(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "GetHostedZone";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForZone(request, "Id"));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var zone = await Context.ZoneOfAsync(request.Caller.AccountId, Route53Input.String(Input(request), "Id"), cancellationToken);
        var sets = await Context.Repository.GetRecordSetsAsync(zone.ZoneId, cancellationToken);
        var output = new JsonObject { ["HostedZone"] = Route53Outputs.Zone(zone, sets.Count) };
        if (zone.PrivateZone)
        {
            output["VPCs"] = new JsonArray(Route53Outputs.Vpc(zone));
        }
        else
        {
            output["DelegationSet"] = Route53Outputs.DelegationSet(zone);
        }

        return new OperationResult(output);
    }
}
