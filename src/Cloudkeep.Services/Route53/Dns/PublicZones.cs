using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53.Dns;

/// <summary>
/// Every public hosted zone's record sets as the DNS listener answers them: an immutable snapshot,
/// replaced whole when a zone or record changes. The listener hosts every zone, but a name is
/// answered from the zone the DNS would reach it through: the topmost hosted zone holding it, then
/// down through each hosted child zone its parent delegates to (NS records naming the child's
/// own name servers). A child its parent does not delegate to stays unreachable, as it is on the
/// Internet; where the parent delegates elsewhere, its referral is the answer. Zones sharing a
/// name (AWS allows that, each with its own name servers) are told apart the same way, the oldest
/// winning at the top.
/// </summary>
public sealed class PublicZones
{
    private readonly Dictionary<string, List<PublicZone>> _byName;

    private PublicZones(Dictionary<string, List<PublicZone>> byName)
    {
        _byName = byName;
    }

    public static PublicZones Empty { get; } = new([]);

    public int Count => _byName.Count;

    public static async Task<PublicZones> LoadAsync(Route53Repository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var zones = await repository.ListZonesAsync(null, cancellationToken);
        return From(zones, await repository.GetPublicRecordSetsAsync(cancellationToken));
    }

    /// <summary>The snapshot of <paramref name="zones"/> (oldest first; private ones are left out) and their record sets by zone id.</summary>
    public static PublicZones From(IEnumerable<Route53ZoneRecord> zones, IReadOnlyDictionary<string, List<Route53RecordSet>> sets)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(sets);
        var byName = new Dictionary<string, List<PublicZone>>(StringComparer.Ordinal);
        foreach (var zone in zones.Where(z => !z.PrivateZone))
        {
            if (!byName.TryGetValue(zone.Name, out var list))
            {
                byName[zone.Name] = list = [];
            }

            list.Add(new PublicZone(zone.ZoneId, zone.Name, zone.NameServers, sets.GetValueOrDefault(zone.ZoneId) ?? []) { AccountId = zone.AccountId });
        }

        return new PublicZones(byName);
    }

    /// <summary>The zone that answers for <paramref name="name"/>; null when no hosted zone holds it.</summary>
    public PublicZone? Find(string name)
    {
        var path = new List<string>();
        for (var candidate = name; candidate is not null; candidate = DnsNames.Parent(candidate))
        {
            if (_byName.ContainsKey(candidate))
            {
                path.Add(candidate);
            }
        }

        if (path.Count == 0)
        {
            return null;
        }

        path.Reverse();
        var current = _byName[path[0]][0];
        foreach (var child in path.Skip(1))
        {
            var delegated = current.Sets(child, "NS").SelectMany(s => s.Values).Select(Canonical).ToHashSet(StringComparer.Ordinal);
            var next = _byName[child].FirstOrDefault(z => z.NameServers.Any(n => delegated.Contains(Canonical(n))));
            if (next is null)
            {
                break;
            }

            current = next;
        }

        return current;
    }

    private static string Canonical(string name) => DnsNames.Normalize(name, out _) ?? name;
}

/// <summary>One public zone's record sets by name, and every name that exists in it (those with records and their ancestors up to the apex).</summary>
public sealed class PublicZone
{
    private static readonly IReadOnlyList<Route53RecordSet> None = [];

    private readonly Dictionary<string, List<Route53RecordSet>> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _existing = new(StringComparer.Ordinal);

    /// <summary>The account owning the zone, which pays for the queries it answers.</summary>
    public string AccountId { get; init; } = "";

    public PublicZone(string zoneId, string name, IReadOnlyList<string> nameServers, IEnumerable<Route53RecordSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ZoneId = zoneId;
        Name = name;
        NameServers = nameServers;
        foreach (var set in sets)
        {
            if (!_byName.TryGetValue(set.Name, out var list))
            {
                _byName[set.Name] = list = [];
            }

            list.Add(set);
            for (var n = set.Name; n is not null && DnsNames.IsInZone(n, name); n = DnsNames.Parent(n))
            {
                if (!_existing.Add(n))
                {
                    break;
                }
            }
        }
    }

    public string ZoneId { get; }

    public string Name { get; }

    public IReadOnlyList<string> NameServers { get; }

    /// <summary>Every set at a name (all types, all set identifiers).</summary>
    public IReadOnlyList<Route53RecordSet> At(string name) => _byName.TryGetValue(name, out var list) ? list : None;

    public IEnumerable<Route53RecordSet> Sets(string name, string type) => At(name).Where(s => s.Type == type);

    /// <summary>Whether the name exists: it has records, or names below it do (an empty non-terminal).</summary>
    public bool Exists(string name) => _existing.Contains(name);

    public Route53RecordSet? Soa => Sets(Name, "SOA").FirstOrDefault();
}
