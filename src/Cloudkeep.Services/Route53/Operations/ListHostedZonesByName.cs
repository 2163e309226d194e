using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:ListHostedZonesByName: the account's zones ordered by name with the labels reversed
/// ("com.example.www"), then by id; a page starts at dnsname (and hostedzoneid, which needs it).
/// </summary>
public sealed class ListHostedZonesByName(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "ListHostedZonesByName";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var maxItems = Route53Input.MaxItems(input, 100);
        var dnsNameText = Route53Input.String(input, "DNSName");
        var zoneIdText = Route53Input.String(input, "HostedZoneId");
        if (zoneIdText is not null && dnsNameText is null)
        {
            throw Route53Errors.InvalidInput.ToException("The input is not valid: a hosted zone id may only be given with a DNS name.");
        }

        string? dnsName = null;
        if (dnsNameText is not null)
        {
            dnsName = DnsNames.Normalize(dnsNameText, out var problem) ?? throw Route53Errors.InvalidDomainName.ToException($"{problem} ({dnsNameText})");
        }

        var zoneId = zoneIdText is null ? "" : Route53Ids.Zone(zoneIdText) ?? throw Route53Errors.InvalidInput.ToException($"Invalid hosted zone id: {zoneIdText}");
        var zones = (await Context.Repository.ListZonesAsync(request.Caller.AccountId, cancellationToken))
            .OrderBy(z => DnsNames.SortKey(z.Name), StringComparer.Ordinal)
            .ThenBy(z => z.ZoneId, StringComparer.Ordinal)
            .ToList();
        var startKey = dnsName is null ? "" : DnsNames.SortKey(dnsName);
        var start = zones.FindIndex(z =>
        {
            var order = string.CompareOrdinal(DnsNames.SortKey(z.Name), startKey);
            return order > 0 || (order == 0 && string.CompareOrdinal(z.ZoneId, zoneId) >= 0);
        });
        if (start < 0)
        {
            start = zones.Count;
        }

        var counts = await Context.Repository.CountRecordSetsAsync(cancellationToken);
        var page = zones.Skip(start).Take(maxItems).ToList();
        var truncated = start + page.Count < zones.Count;
        var output = new JsonObject
        {
            ["HostedZones"] = new JsonArray([.. page.Select(z => (JsonNode)Route53Outputs.Zone(z, counts.GetValueOrDefault(z.ZoneId)))]),
            ["IsTruncated"] = truncated,
            ["MaxItems"] = Route53Outputs.Count(maxItems),
        };
        if (dnsNameText is not null)
        {
            output["DNSName"] = dnsNameText;
        }

        if (zoneIdText is not null)
        {
            output["HostedZoneId"] = zoneIdText;
        }

        if (truncated)
        {
            var next = zones[start + page.Count];
            output["NextDNSName"] = DnsNames.Display(next.Name);
            output["NextHostedZoneId"] = next.ZoneId;
        }

        return new OperationResult(output);
    }
}
