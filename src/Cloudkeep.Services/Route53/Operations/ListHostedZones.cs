using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:ListHostedZones: the account's zones in the order they were made, maxitems (at most 100)
/// a page; the marker is the id of the first zone of the next page, as AWS's NextMarker is.
/// </summary>
public sealed class ListHostedZones(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "ListHostedZones";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var maxItems = Route53Input.MaxItems(input, 100);
        if (Route53Input.String(input, "DelegationSetId") is { } delegationSet)
        {
            throw Route53Errors.NoSuchDelegationSet.ToException($"A reusable delegation set with the specified ID does not exist: {delegationSet}");
        }

        var zones = await Context.Repository.ListZonesAsync(request.Caller.AccountId, cancellationToken);
        if (Route53Input.String(input, "HostedZoneType") == "PrivateHostedZone")
        {
            zones = [.. zones.Where(z => z.PrivateZone)];
        }

        var start = 0;
        var marker = Route53Input.String(input, "Marker");
        if (marker is not null)
        {
            var id = Route53Ids.Zone(marker);
            start = zones.ToList().FindIndex(z => z.ZoneId == id);
            if (start < 0)
            {
                throw Route53Errors.InvalidInput.ToException($"The marker '{marker}' does not name a hosted zone of this account.");
            }
        }

        var counts = await Context.Repository.CountRecordSetsAsync(cancellationToken);
        var page = zones.Skip(start).Take(maxItems).ToList();
        var truncated = start + page.Count < zones.Count;
        var output = new JsonObject
        {
            ["HostedZones"] = new JsonArray([.. page.Select(z => (JsonNode)Route53Outputs.Zone(z, counts.GetValueOrDefault(z.ZoneId)))]),
            ["Marker"] = marker ?? "",
            ["IsTruncated"] = truncated,
            ["MaxItems"] = Route53Outputs.Count(maxItems),
        };
        if (truncated)
        {
            output["NextMarker"] = zones[start + page.Count].ZoneId;
        }

        return new OperationResult(output);
    }
}
