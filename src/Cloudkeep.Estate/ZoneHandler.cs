using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Public Route 53 hosted zones, found by name, and their record sets: the file's "records" are every
/// set of the zone but the apex SOA and NS (which Route 53 makes and keeps), so a set the file no
/// longer declares is deleted. One change batch brings the zone to the file, all or nothing, and the
/// journal keeps the inverse batch. An NS set whose one value holds several names joined by ","
/// (a resolved delegation) stands for those names.
/// </summary>
internal sealed class ZoneHandler(Route53Client route53) : IResourceHandler
{
    public IReadOnlyCollection<string> FixedFields => [];

    /// <summary>A record name of the file made absolute: "@" is the apex, "www" is www.ZONE., "x.y." stays.</summary>
    public static string Absolute(string name, string zone) =>
        (name == "@" ? zone + "." : name.EndsWith('.') ? name : $"{name}.{zone}.").ToLowerInvariant();

    public static bool IsInZone(string absolute, string zone) =>
        absolute == zone + "." || absolute.EndsWith("." + zone + ".", StringComparison.Ordinal);

    /// <summary>The zone's name servers, sorted, lower case with trailing dots, joined by ",": what <c>${zone.ACCOUNT.NAME.nameServers}</c> stands for.</summary>
    public async Task<string?> NameServersAsync(string name, CancellationToken cancellationToken) =>
        await route53.FindPublicZoneAsync(name, cancellationToken) is { } zone
            ? string.Join(',', (await route53.NameServersAsync(zone.Id, cancellationToken)).Select(Fqdn).Order(StringComparer.Ordinal))
            : null;

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await route53.FindPublicZoneAsync(desired.Name, cancellationToken) is not { } zone)
        {
            return null;
        }

        var joined = Sets(desired.Fields.GetValueOrDefault("records") ?? "[]")
            .Where(s => s.Type == "NS" && s.Values.Count == 1 && s.Values[0].Contains(',', StringComparison.Ordinal))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
        var live = await ManagedAsync(zone, cancellationToken);
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["records"] = Canonical(live, joined) };
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await route53.ListZonesAsync(cancellationToken)).Where(z => !z.Private).Select(z => z.Name.TrimEnd('.')).Distinct(StringComparer.Ordinal)];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var zone = await route53.CreateZoneAsync(resolved.Name, $"cloudkeep-estate-{Guid.NewGuid():N}", "managed by cloudkeep apply", cancellationToken);
        journal.Done("CreateHostedZone", () => DeleteZoneAsync(zone, CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var zone = (await route53.FindPublicZoneAsync(resolved.Name, cancellationToken))!;
        var current = await ManagedAsync(zone, cancellationToken);
        var desired = Sets(resolved.Fields["records"]).Select(Expanded).ToList();
        var batch = Batch(current, desired);
        if (batch.Count == 0)
        {
            return;
        }

        await route53.ChangeAsync(zone.Id, batch, cancellationToken);
        journal.Done("ChangeResourceRecordSets", () => route53.ChangeAsync(zone.Id, Batch(desired, current), CancellationToken.None));
    }

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await route53.FindPublicZoneAsync(resource.Name, cancellationToken) is not { } zone)
        {
            return;
        }

        var records = await ManagedAsync(zone, cancellationToken);
        await DeleteZoneAsync(zone, cancellationToken);
        // Undone by a new zone of the same name and records; its name servers are new ones, as in AWS.
        journal.Done("DeleteHostedZone", async () =>
        {
            var again = await route53.CreateZoneAsync(resource.Name, $"cloudkeep-estate-{Guid.NewGuid():N}", "managed by cloudkeep apply", CancellationToken.None);
            if (records.Count > 0)
            {
                await route53.ChangeAsync(again.Id, records.Select(r => ("CREATE", r)), CancellationToken.None);
            }
        });
    }

    /// <summary>The live record sets a file manages: all but the apex SOA and NS.</summary>
    public async Task<List<Route53Client.RecordSet>> ManagedAsync(Route53Client.Zone zone, CancellationToken cancellationToken) =>
        [.. (await route53.ListRecordSetsAsync(zone.Id, cancellationToken))
            .Where(s => !(Fqdn(s.Name) == Fqdn(zone.Name) && s.Type is "SOA" or "NS"))];

    /// <summary>Live sets as the file writes them; NS sets at <paramref name="joined"/> names with their values joined.</summary>
    public static string Canonical(IEnumerable<Route53Client.RecordSet> sets, IReadOnlySet<string> joined) =>
        CanonicalJson.Of(new JsonArray([.. sets
            .Select(s => Json(s, joined.Contains(Fqdn(s.Name)) && s.Type == "NS"))
            .OrderBy(r => $"{r["name"]} {r["type"]} {r["setIdentifier"]}", StringComparer.Ordinal)]));

    public static JsonObject Json(Route53Client.RecordSet set, bool joinValues)
    {
        var values = set.Values.Select(v => set.Type is "NS" or "CNAME" or "PTR" ? Fqdn(v) : v).Order(StringComparer.Ordinal).ToList();
        var json = new JsonObject
        {
            ["name"] = Fqdn(set.Name.Replace(@"\052", "*", StringComparison.Ordinal)),
            ["type"] = set.Type,
            ["ttl"] = set.Ttl,
            ["values"] = joinValues ? new JsonArray(string.Join(',', values)) : new JsonArray([.. values.Select(v => (JsonNode)v)]),
        };
        if (set.SetIdentifier is not null)
        {
            json["setIdentifier"] = set.SetIdentifier;
            json["weight"] = set.Weight;
        }

        return json;
    }

    private async Task DeleteZoneAsync(Route53Client.Zone zone, CancellationToken cancellationToken)
    {
        var records = await ManagedAsync(zone, cancellationToken);
        if (records.Count > 0)
        {
            await route53.ChangeAsync(zone.Id, records.Select(r => ("DELETE", r)), cancellationToken);
        }

        await route53.DeleteZoneAsync(zone.Id, cancellationToken);
    }

    /// <summary>Deletes what differs or goes, then creates what differs or is new: one batch, applied in order by Route 53.</summary>
    private static List<(string Action, Route53Client.RecordSet Set)> Batch(List<Route53Client.RecordSet> from, List<Route53Client.RecordSet> to)
    {
        static string Key(Route53Client.RecordSet s) => $"{Fqdn(s.Name)} {s.Type} {s.SetIdentifier}";
        static string Whole(Route53Client.RecordSet s) => Json(s, joinValues: false).ToJsonString();
        var target = to.ToDictionary(Key, StringComparer.Ordinal);
        var source = from.ToDictionary(Key, StringComparer.Ordinal);
        var batch = new List<(string, Route53Client.RecordSet)>();
        batch.AddRange(from.Where(s => !target.TryGetValue(Key(s), out var t) || Whole(t) != Whole(s)).Select(s => ("DELETE", s)));
        batch.AddRange(to.Where(s => !source.TryGetValue(Key(s), out var f) || Whole(f) != Whole(s)).Select(s => ("CREATE", s)));
        return batch;
    }

    private static List<Route53Client.RecordSet> Sets(string json) =>
        [.. (JsonNode.Parse(json) as JsonArray ?? []).OfType<JsonObject>().Select(r => new Route53Client.RecordSet(
            r["name"]!.GetValue<string>(),
            r["type"]!.GetValue<string>(),
            r["ttl"]!.GetValue<long>(),
            [.. r["values"]!.AsArray().Select(v => v!.GetValue<string>())],
            r["setIdentifier"]?.GetValue<string>(),
            r["weight"]?.GetValue<long>()))];

    /// <summary>A delegation's one joined value as the name servers it stands for.</summary>
    private static Route53Client.RecordSet Expanded(Route53Client.RecordSet set) =>
        set.Type == "NS" && set.Values.Count == 1 && set.Values[0].Contains(',', StringComparison.Ordinal)
            ? set with { Values = set.Values[0].Split(',', StringSplitOptions.RemoveEmptyEntries) }
            : set;

    private static string Fqdn(string name) => (name.EndsWith('.') ? name : name + ".").ToLowerInvariant();
}
