using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53;

/// <summary>The model-shaped output trees Route 53's operations share: HostedZone, DelegationSet, ChangeInfo, ResourceRecordSet.</summary>
internal static class Route53Outputs
{
    public static JsonObject Zone(Route53ZoneRecord zone, long recordSetCount)
    {
        var config = new JsonObject();
        if (zone.Comment is not null)
        {
            config["Comment"] = zone.Comment;
        }

        config["PrivateZone"] = zone.PrivateZone;
        return new JsonObject
        {
            ["Id"] = Route53Ids.ZonePrefix + zone.ZoneId,
            ["Name"] = DnsNames.Display(zone.Name),
            ["CallerReference"] = zone.CallerReference,
            ["Config"] = config,
            ["ResourceRecordSetCount"] = recordSetCount,
        };
    }

    public static JsonObject DelegationSet(Route53ZoneRecord zone) =>
        new() { ["NameServers"] = new JsonArray([.. zone.NameServers.Select(n => (JsonNode)n.TrimEnd('.'))]) };

    public static JsonObject Vpc(Route53ZoneRecord zone) =>
        new() { ["VPCRegion"] = zone.VpcRegion, ["VPCId"] = zone.VpcId };

    public static JsonObject ChangeInfo(Route53ChangeRecord change, DateTimeOffset now)
    {
        var info = new JsonObject
        {
            ["Id"] = Route53Ids.ChangePrefix + change.ChangeId,
            ["Status"] = now - change.SubmittedAt < Route53Context.PropagationDelay ? "PENDING" : "INSYNC",
            ["SubmittedAt"] = change.SubmittedAt,
        };
        if (change.Comment is not null)
        {
            info["Comment"] = change.Comment;
        }

        return info;
    }

    public static JsonObject RecordSet(Route53RecordSet set)
    {
        var result = new JsonObject
        {
            ["Name"] = DnsNames.Display(set.Name),
            ["Type"] = set.Type,
        };
        if (set.SetIdentifier.Length > 0)
        {
            result["SetIdentifier"] = set.SetIdentifier;
        }

        if (set.Weight is { } weight)
        {
            result["Weight"] = weight;
        }

        result["TTL"] = set.Ttl;
        result["ResourceRecords"] = new JsonArray([.. set.Values.Select(v => (JsonNode)new JsonObject { ["Value"] = v })]);
        return result;
    }

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
