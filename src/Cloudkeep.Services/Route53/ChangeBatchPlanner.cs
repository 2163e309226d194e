using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// ChangeResourceRecordSets' rules, apart from the wire and the store. <see cref="Parse"/> reads
/// each change and refuses, one at a time as Route 53 does, what is not a change at all
/// (InvalidInput) or asks for routing Cloudkeep does not serve (NotImplemented). <see cref="Plan"/>
/// applies the changes in order to the zone's record sets as they are, collecting every problem
/// (InvalidChangeBatch lists them all); a batch with any problem changes nothing.
/// </summary>
public static class ChangeBatchPlanner
{
    /// <summary>Routing policies and targets of the model that Cloudkeep does not serve.</summary>
    private static readonly string[] Unserved =
        ["AliasTarget", "Region", "GeoLocation", "Failover", "MultiValueAnswer", "HealthCheckId", "TrafficPolicyInstanceId", "CidrRoutingConfig", "GeoProximityLocation"];

    public sealed record Change(string Action, Route53RecordSet RecordSet, string? NameProblem, string RawName);

    public static IReadOnlyList<Change> Parse(JsonArray changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var result = new List<Change>();
        foreach (var node in changes)
        {
            if (node is not JsonObject change)
            {
                continue;
            }

            var action = Route53Input.String(change, "Action") ?? "";
            var set = Route53Input.Object(change, "ResourceRecordSet") ?? [];
            var rawName = Route53Input.String(set, "Name") ?? "";
            var type = Route53Input.String(set, "Type") ?? "";
            var setIdentifier = Route53Input.String(set, "SetIdentifier");
            var described = $"Change with [Action={action}, Name={rawName}, Type={type}, SetIdentifier={setIdentifier ?? "null"}]";
            if (Unserved.FirstOrDefault(set.ContainsKey) is { } unserved)
            {
                throw Route53Errors.NotImplemented.ToException($"{unserved} is not implemented by Cloudkeep's Route 53, which serves simple and weighted routing only ({described}).");
            }

            var ttl = Route53Input.Integer(set, "TTL");
            var records = Route53Input.Array(set, "ResourceRecords");
            if (ttl is null || records is null)
            {
                throw Route53Errors.InvalidInput.ToException(
                    $"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in {described}");
            }

            var weight = Route53Input.Integer(set, "Weight");
            if (setIdentifier is not null && weight is null)
            {
                throw Route53Errors.InvalidInput.ToException(
                    $"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in {described}");
            }

            if (weight is not null && setIdentifier is null)
            {
                throw Route53Errors.InvalidInput.ToException($"Invalid request: Missing field 'SetIdentifier' in {described}");
            }

            var values = records.OfType<JsonObject>().Select(r => Route53Input.String(r, "Value") ?? "").ToList();
            var name = DnsNames.Normalize(rawName, out var problem);
            result.Add(new Change(action, new Route53RecordSet(name ?? rawName, type, setIdentifier ?? "", weight, ttl.Value, values), name is null ? problem : null, rawName));
        }

        return result;
    }

    /// <summary>The record-set rows to delete and insert for <paramref name="changes"/> against <paramref name="current"/>; InvalidChangeBatch with every problem found.</summary>
    public static IReadOnlyList<Route53RecordChange> Plan(string zone, IReadOnlyList<Route53RecordSet> current, IReadOnlyList<Change> changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        var working = current.ToDictionary(Key);
        var problems = new List<string>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var set = change.RecordSet;
            if (change.NameProblem is { } nameProblem)
            {
                problems.Add($"Invalid Resource Record: 'FATAL problem: DomainNameInvalid ({nameProblem}) encountered with '{change.RawName}''");
                continue;
            }

            if (!DnsNames.IsInZone(set.Name, zone))
            {
                problems.Add($"RRSet with DNS name {DnsNames.Display(set.Name)} is not permitted in zone {zone}");
                continue;
            }

            if (!RecordValues.Served.Contains(set.Type))
            {
                problems.Add($"RRSet of type {set.Type} with DNS name {DnsNames.Display(set.Name)} is not supported by Cloudkeep's Route 53");
                continue;
            }

            var before = problems.Count;
            CheckShape(zone, change, problems);
            if (problems.Count > before)
            {
                continue;
            }

            touched.Add(set.Name);
            var key = Key(set);
            var existing = working.GetValueOrDefault(key);
            switch (change.Action)
            {
                case "CREATE":
                    if (existing is not null)
                    {
                        problems.Add($"Tried to create resource record set {Describe(set)} but it already exists");
                        break;
                    }

                    if (MixProblem(working.Values, set) is { } createMix)
                    {
                        problems.Add(createMix);
                        break;
                    }

                    working[key] = set;
                    break;
                case "DELETE":
                    if (existing is null)
                    {
                        problems.Add($"Tried to delete resource record set {Describe(set)} but it was not found");
                        break;
                    }

                    if (!SameValues(existing, set))
                    {
                        problems.Add($"Tried to delete resource record set {Describe(set)} but the values provided do not match the current values");
                        break;
                    }

                    if (set.Name == zone && set.Type == "SOA")
                    {
                        problems.Add("A HostedZone must contain exactly one SOA record.");
                        break;
                    }

                    if (set.Name == zone && set.Type == "NS")
                    {
                        problems.Add("A HostedZone must contain at least one NS record for the zone itself.");
                        break;
                    }

                    working.Remove(key);
                    break;
                default:
                    if (existing is null && MixProblem(working.Values, set) is { } upsertMix)
                    {
                        problems.Add(upsertMix);
                        break;
                    }

                    working[key] = set;
                    break;
            }
        }

        foreach (var name in touched.Order(StringComparer.Ordinal))
        {
            var atName = working.Values.Where(s => s.Name == name).ToList();
            if (atName.Any(s => s.Type == "CNAME") && atName.Any(s => s.Type != "CNAME"))
            {
                problems.Add($"RRSet of type CNAME with DNS name {DnsNames.Display(name)} is not permitted as it conflicts with other records with the same DNS name in zone {zone}");
            }
        }

        if (problems.Count > 0)
        {
            throw Route53Errors.ChangeBatch(problems);
        }

        var original = current.ToDictionary(Key);
        var result = new List<Route53RecordChange>();
        foreach (var (key, set) in original)
        {
            if (!working.TryGetValue(key, out var now) || !Identical(now, set))
            {
                result.Add(new Route53RecordChange(Delete: true, set));
            }
        }

        foreach (var (key, set) in working)
        {
            if (!original.TryGetValue(key, out var was) || !Identical(was, set))
            {
                result.Add(new Route53RecordChange(Delete: false, set));
            }
        }

        return result;
    }

    private static void CheckShape(string zone, Change change, List<string> problems)
    {
        var set = change.RecordSet;
        var name = DnsNames.Display(set.Name);
        if (set.Type == "CNAME" && set.Name == zone)
        {
            problems.Add($"RRSet of type CNAME with DNS name {name} is not permitted at apex in zone {zone}");
        }

        if (set.Type == "SOA" && set.Name != zone)
        {
            problems.Add($"RRSet of type SOA with DNS name {name} is not permitted because it is not the apex of zone {zone}");
        }

        if (set.Type is "SOA" or "NS" && set.Name == zone && set.SetIdentifier.Length > 0)
        {
            problems.Add($"RRSet of type {set.Type} with DNS name {name} is not permitted to use a routing policy at the apex of zone {zone}");
        }

        if (set.Values.Count == 0)
        {
            problems.Add($"Invalid Resource Record: 'FATAL problem: RRSetEmpty (RRSet must contain at least one resource record) encountered with '{name}''");
        }

        if (set.Type is "CNAME" or "SOA" && set.Values.Count > 1)
        {
            problems.Add($"RRSet of type {set.Type} with DNS name {name} must contain exactly one resource record");
        }

        foreach (var value in set.Values)
        {
            if (RecordValues.Check(set.Type, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        foreach (var duplicate in set.Values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Duplicate Resource Record: '{duplicate.Key}'");
        }
    }

    /// <summary>Simple and weighted sets never share a name and type.</summary>
    private static string? MixProblem(IEnumerable<Route53RecordSet> sets, Route53RecordSet set)
    {
        var others = sets.Where(s => s.Name == set.Name && s.Type == set.Type && s.SetIdentifier != set.SetIdentifier).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        return set.SetIdentifier.Length > 0 && others.Any(o => o.SetIdentifier.Length == 0)
            ? $"RRSet with DNS name {DnsNames.Display(set.Name)}, type {set.Type}, SetIdentifier {set.SetIdentifier} cannot be created as a non-weighted set exists with the same name and type."
            : set.SetIdentifier.Length == 0
                ? $"RRSet with DNS name {DnsNames.Display(set.Name)}, type {set.Type} cannot be created as weighted sets exist with the same name and type."
                : null;
    }

    private static string Describe(Route53RecordSet set) =>
        set.SetIdentifier.Length > 0
            ? $"[name='{DnsNames.Display(set.Name)}', type='{set.Type}', set-identifier='{set.SetIdentifier}']"
            : $"[name='{DnsNames.Display(set.Name)}', type='{set.Type}']";

    private static (string, string, string) Key(Route53RecordSet set) => (set.Name, set.Type, set.SetIdentifier);

    private static bool SameValues(Route53RecordSet a, Route53RecordSet b) =>
        a.Ttl == b.Ttl && a.Weight == b.Weight
        && a.Values.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(b.Values.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    private static bool Identical(Route53RecordSet a, Route53RecordSet b) =>
        a.Ttl == b.Ttl && a.Weight == b.Weight && a.Values.SequenceEqual(b.Values, StringComparer.Ordinal);

    /// <summary>The route53:ChangeResourceRecordSets* condition keys of a batch ("Condition keys for Amazon Route 53", Service Authorization Reference).</summary>
    public static Dictionary<string, IReadOnlyList<string>> ConditionKeys(JsonArray? changes)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var types = new SortedSet<string>(StringComparer.Ordinal);
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var change in changes?.OfType<JsonObject>() ?? [])
        {
            if (Route53Input.String(change, "Action") is { } action)
            {
                actions.Add(action);
            }

            var set = Route53Input.Object(change, "ResourceRecordSet");
            if (set is null)
            {
                continue;
            }

            if (Route53Input.String(set, "Type") is { } type)
            {
                types.Add(type);
            }

            // Normalized names are lower case without the trailing dot, "*" kept as the escape.
            if (DnsNames.Normalize(Route53Input.String(set, "Name"), out _) is { } name)
            {
                names.Add(DnsNames.Display(name).TrimEnd('.').ToLower(CultureInfo.InvariantCulture));
            }
        }

        return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = [.. names],
            ["route53:ChangeResourceRecordSetsRecordTypes"] = [.. types],
            ["route53:ChangeResourceRecordSetsActions"] = [.. actions],
        };
    }
}
