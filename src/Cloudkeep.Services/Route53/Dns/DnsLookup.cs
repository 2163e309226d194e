using System.Globalization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53.Dns;

/// <summary>What an authoritative server answers for one question, in record sets; the listener writes it on the wire.</summary>
public enum DnsOutcome
{
    Answer,
    NoData,
    NameError,
    Referral,
    Refused,
}

/// <summary>One record set in a section of an answer, under the owner name it is answered for (a wildcard's match, a CNAME's target).</summary>
public readonly record struct DnsRecordSet(string Owner, Route53RecordSet Set, long Ttl);

public sealed record DnsAnswer(
    DnsOutcome Outcome,
    bool Authoritative,
    IReadOnlyList<DnsRecordSet> Answer,
    IReadOnlyList<DnsRecordSet> Authority,
    IReadOnlyList<DnsRecordSet> Additional);

/// <summary>
/// The answer an authoritative name server gives from Route 53 zones (RFC 1034 section 4.3.2): a
/// delegation below the zone is a referral (AA off, the cut's NS in authority, glue in
/// additional); a CNAME is followed while its target stays in the zone; a name that exists without
/// the type is NODATA and one that does not exist NXDOMAIN, both with the zone's SOA in authority;
/// a wildcard answers for names that do not exist; weighted sets answer one set, chosen by weight.
/// </summary>
public static class DnsLookup
{
    private const int MaxChain = 8;

    public static DnsAnswer Resolve(PublicZones zones, string name, string type, Func<int, int> random)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(random);
        var zone = zones.Find(name);
        if (zone is null)
        {
            return new DnsAnswer(DnsOutcome.Refused, false, [], [], []);
        }

        var answer = new List<DnsRecordSet>();
        var current = name;
        for (var step = 0; step < MaxChain; step++)
        {
            if (Cut(zone, current) is { } cut)
            {
                if (answer.Count > 0)
                {
                    // A CNAME into a delegated name: the chain ends here and the resolver follows the referral itself.
                    return new DnsAnswer(DnsOutcome.Answer, true, answer, [], []);
                }

                var ns = zone.Sets(cut, "NS").Select(s => new DnsRecordSet(cut, s, s.Ttl)).ToList();
                return new DnsAnswer(DnsOutcome.Referral, false, [], ns, Glue(zone, ns));
            }

            var owner = current;
            var sets = zone.At(current);
            if (sets.Count == 0 && !zone.Exists(current) && Wildcard(zone, current) is { } wildcard)
            {
                sets = zone.At(wildcard);
            }

            if (sets.Count == 0)
            {
                return zone.Exists(current)
                    ? Negative(zone, DnsOutcome.NoData, answer)
                    : Negative(zone, DnsOutcome.NameError, answer);
            }

            var matching = type == "ANY" ? sets.Where(s => s.SetIdentifier.Length == 0).ToList() : Pick(sets.Where(s => s.Type == type).ToList(), random);
            if (matching.Count > 0)
            {
                answer.AddRange(matching.Select(s => new DnsRecordSet(owner, s, s.Ttl)));
                return new DnsAnswer(DnsOutcome.Answer, true, answer, [], []);
            }

            var cname = Pick(sets.Where(s => s.Type == "CNAME").ToList(), random);
            if (cname.Count == 0 || type == "CNAME")
            {
                return Negative(zone, DnsOutcome.NoData, answer);
            }

            answer.Add(new DnsRecordSet(owner, cname[0], cname[0].Ttl));
            var target = DnsNames.Normalize(cname[0].Values[0], out _);
            if (target is null || !DnsNames.IsInZone(target, zone.Name) || answer.Any(a => a.Owner == target))
            {
                return new DnsAnswer(DnsOutcome.Answer, true, answer, [], []);
            }

            current = target;
        }

        return new DnsAnswer(DnsOutcome.Answer, true, answer, [], []);
    }

    /// <summary>The delegation point at or above <paramref name="name"/> and below the apex: the highest name with NS records.</summary>
    private static string? Cut(PublicZone zone, string name)
    {
        string? cut = null;
        for (var n = name; n is not null && n != zone.Name && DnsNames.IsInZone(n, zone.Name); n = DnsNames.Parent(n))
        {
            if (zone.Sets(n, "NS").Any())
            {
                cut = n;
            }
        }

        return cut;
    }

    /// <summary>The wildcard that stands for a name that does not exist: "*." under its closest existing ancestor (RFC 4592).</summary>
    private static string? Wildcard(PublicZone zone, string name)
    {
        for (var n = DnsNames.Parent(name); n is not null && DnsNames.IsInZone(n, zone.Name); n = DnsNames.Parent(n))
        {
            if (zone.Exists(n) || n == zone.Name)
            {
                var wildcard = "*." + n;
                return zone.At(wildcard).Count > 0 ? wildcard : null;
            }
        }

        return null;
    }

    /// <summary>Simple sets answer as they are; weighted sets answer one, chosen in proportion to weight (weight 0 only when all are 0).</summary>
    private static List<Route53RecordSet> Pick(List<Route53RecordSet> sets, Func<int, int> random)
    {
        if (sets.Count <= 1 || sets.All(s => s.SetIdentifier.Length == 0))
        {
            return sets;
        }

        var total = sets.Sum(s => s.Weight ?? 0);
        if (total == 0)
        {
            return [sets[random(sets.Count)]];
        }

        var point = random((int)Math.Min(total, int.MaxValue));
        foreach (var set in sets)
        {
            point -= (int)(set.Weight ?? 0);
            if (point < 0)
            {
                return [set];
            }
        }

        return [sets[^1]];
    }

    /// <summary>Addresses in the zone for name servers the referral names (the glue a resolver needs for in-bailiwick servers).</summary>
    private static List<DnsRecordSet> Glue(PublicZone zone, List<DnsRecordSet> ns)
    {
        var glue = new List<DnsRecordSet>();
        foreach (var host in ns.SelectMany(s => s.Set.Values).Select(v => DnsNames.Normalize(v, out _)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (DnsNames.IsInZone(host, zone.Name))
            {
                glue.AddRange(zone.At(host).Where(s => s.Type is "A" or "AAAA" && s.SetIdentifier.Length == 0).Select(s => new DnsRecordSet(host, s, s.Ttl)));
            }
        }

        return glue;
    }

    /// <summary>NODATA and NXDOMAIN carry the SOA, its TTL the lesser of the SOA's own and its minimum field (RFC 2308 section 3).</summary>
    private static DnsAnswer Negative(PublicZone zone, DnsOutcome outcome, List<DnsRecordSet> answer)
    {
        var soa = zone.Soa;
        if (soa is null)
        {
            return new DnsAnswer(outcome, true, answer, [], []);
        }

        var fields = RecordValues.Fields(soa.Values[0], 7);
        var minimum = fields is not null && long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : soa.Ttl;
        return new DnsAnswer(outcome, true, answer, [new DnsRecordSet(zone.Name, soa, Math.Min(soa.Ttl, minimum))], []);
    }
}
