using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:ListResourceRecordSets, in Route 53's order: by name with the labels reversed
/// ("com.example.www"), then by type, then by set identifier; a page (maxitems, at most 300)
/// starts at the first set at or after name, type and identifier.
/// </summary>
public sealed class ListResourceRecordSets(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "ListResourceRecordSets";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForZone(request, "HostedZoneId"));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var maxItems = Route53Input.MaxItems(input, 300);
        var startNameText = Route53Input.String(input, "StartRecordName");
        var startType = Route53Input.String(input, "StartRecordType");
        var startIdentifier = Route53Input.String(input, "StartRecordIdentifier");
        if (startType is not null && startNameText is null)
        {
            throw Route53Errors.InvalidInput.ToException("The input is not valid: a record type to start from may only be given with a record name.");
        }

        if (startIdentifier is not null && startType is null)
        {
            throw Route53Errors.InvalidInput.ToException("The input is not valid: a record identifier to start from may only be given with a record name and type.");
        }

        string? startName = null;
        if (startNameText is not null)
        {
            startName = DnsNames.Normalize(startNameText, out var problem) ?? throw Route53Errors.InvalidInput.ToException($"Invalid record name to start from: {problem} ({startNameText})");
        }

        var zone = await Context.ZoneOfAsync(request.Caller.AccountId, Route53Input.String(input, "HostedZoneId"), cancellationToken);
        var sets = (await Context.Repository.GetRecordSetsAsync(zone.ZoneId, cancellationToken))
            .OrderBy(s => DnsNames.SortKey(s.Name), StringComparer.Ordinal)
            .ThenBy(s => s.Type, StringComparer.Ordinal)
            .ThenBy(s => s.SetIdentifier, StringComparer.Ordinal)
            .ToList();
        var start = startName is null ? 0 : sets.FindIndex(s => AtOrAfter(s, startName, startType, startIdentifier));
        if (start < 0)
        {
            start = sets.Count;
        }

        var page = sets.Skip(start).Take(maxItems).ToList();
        var truncated = start + page.Count < sets.Count;
        var output = new JsonObject
        {
            ["ResourceRecordSets"] = new JsonArray([.. page.Select(s => (JsonNode)Route53Outputs.RecordSet(s))]),
            ["IsTruncated"] = truncated,
            ["MaxItems"] = Route53Outputs.Count(maxItems),
        };
        if (truncated)
        {
            var next = sets[start + page.Count];
            output["NextRecordName"] = DnsNames.Display(next.Name);
            output["NextRecordType"] = next.Type;
            if (next.SetIdentifier.Length > 0)
            {
                output["NextRecordIdentifier"] = next.SetIdentifier;
            }
        }

        return new OperationResult(output);
    }

    private static bool AtOrAfter(Route53RecordSet set, string name, string? type, string? identifier)
    {
        var order = string.CompareOrdinal(DnsNames.SortKey(set.Name), DnsNames.SortKey(name));
        if (order != 0 || type is null)
        {
            return order >= 0;
        }

        order = string.CompareOrdinal(set.Type, type);
        return order != 0 || identifier is null ? order >= 0 : string.CompareOrdinal(set.SetIdentifier, identifier) >= 0;
    }
}
