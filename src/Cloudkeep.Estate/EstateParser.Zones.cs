using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// Route 53 zones: <c>records</c>, a list of {name, type, ttl, values} (names relative to the zone,
/// "@" for the apex, or absolute with a trailing dot; weighted sets add setIdentifier and weight), and
/// <c>delegate</c>, a map from a label to the account whose zone of that name the label is delegated to.
/// A delegation is the NS record set Route 53 needs in the parent, naming the child zone's name
/// servers, which exist only once the child zone does: the parser writes it as
/// <c>${zone.ACCOUNT.NAME.nameServers}</c>, resolved at apply time.
/// </summary>
internal sealed partial class EstateParser
{
    private static readonly string[] RequiredRecordFields = ["name", "type", "ttl", "values"];

    private static readonly string[] RecordTypes = ["A", "AAAA", "CNAME", "TXT", "MX", "NS", "SRV", "CAA", "PTR"];

    private void Zone(string account, string zone, YamlMappingNode? map, string at)
    {
        var records = new List<JsonObject>();
        foreach (var (key, value) in Entries(map, at, ["records", "delegate"]))
        {
            var here = $"{at}.{key}";
            if (key == "records")
            {
                if (value is not YamlSequenceNode list)
                {
                    Error(value, here, "must be a list of record sets, each {name, type, ttl, values}");
                    continue;
                }

                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (RecordSet(zone, list.Children[i], $"{here}[{i}]") is { } set)
                    {
                        records.Add(set);
                    }
                }
            }
            else
            {
                foreach (var (label, target) in Entries(Mapping(value, here), here, null))
                {
                    if (Text(target, $"{here}.{label}") is { } child)
                    {
                        var name = $"{label.TrimEnd('.')}.{zone}".ToLowerInvariant();
                        records.Add(new JsonObject
                        {
                            ["name"] = name + ".",
                            ["type"] = "NS",
                            ["ttl"] = 172800,
                            ["values"] = new JsonArray($"${{zone.{child}.{name}.nameServers}}"),
                        });
                    }
                }
            }
        }

        foreach (var duplicate in records.GroupBy(r => $"{r["name"]} {r["type"]} {r["setIdentifier"]}").Where(g => g.Count() > 1))
        {
            Error(map ?? new YamlMappingNode(), $"{at}.records", $"{duplicate.Key.Trim()} is declared twice");
        }

        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["records"] = CanonicalJson.Of(new JsonArray([.. records.OrderBy(r => $"{r["name"]} {r["type"]} {r["setIdentifier"]}", StringComparer.Ordinal)])),
        };
        _resources.Add(new EstateResource(ResourceKind.Zone, account, zone, fields));
    }

    private JsonObject? RecordSet(string zone, YamlNode node, string at)
    {
        var set = new JsonObject();
        var errors = _errors.Count;
        foreach (var (key, value) in Entries(Mapping(node, at), at, ["name", "type", "ttl", "values", "setIdentifier", "weight"]))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "name":
                    if (Text(value, here) is { } name)
                    {
                        set["name"] = ZoneHandler.Absolute(name, zone);
                        if (!ZoneHandler.IsInZone(set["name"]!.GetValue<string>(), zone))
                        {
                            Error(value, here, $"'{name}' is not in the zone {zone}");
                        }
                    }

                    break;
                case "type":
                    if (Text(value, here) is { } type)
                    {
                        set["type"] = RecordTypes.Contains(type) ? type : ErrorValue(value, here, $"must be one of {string.Join(", ", RecordTypes)} (the apex SOA and NS are Route 53's own)");
                    }

                    break;
                case "ttl":
                case "weight":
                    if (Int(value, here) is not { } number)
                    {
                        break;
                    }

                    if (number >= 0 && (key == "ttl" || number <= 255))
                    {
                        set[key] = number;
                    }
                    else
                    {
                        Error(value, here, key == "ttl" ? "must not be negative" : "must be 0 to 255");
                    }

                    break;
                case "values":
                    if (Strings(value, here) is { Count: > 0 } values)
                    {
                        set["values"] = new JsonArray([.. values.Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]);
                    }
                    else
                    {
                        Error(value, here, "a record set needs at least one value");
                    }

                    break;
                default:
                    set["setIdentifier"] = Text(value, here);
                    break;
            }
        }

        foreach (var required in RequiredRecordFields.Where(r => !set.ContainsKey(r)))
        {
            Error(node, at, $"'{required}' is required");
        }

        if (set.ContainsKey("weight") != set.ContainsKey("setIdentifier"))
        {
            Error(node, at, "a weighted record set needs both setIdentifier and weight");
        }

        // Route 53 answers names in values fully qualified; the file may leave the dot out.
        if (set["type"]?.GetValue<string>() is "NS" or "CNAME" or "PTR" && set["values"] is JsonArray names)
        {
            set["values"] = new JsonArray([.. names.Select(v => v!.GetValue<string>())
                .Select(v => v.StartsWith("${", StringComparison.Ordinal) || v.EndsWith('.') ? v : v + ".")
                .Select(v => v.StartsWith("${", StringComparison.Ordinal) ? v : v.ToLowerInvariant())
                .Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]);
        }

        if (set["name"]?.GetValue<string>() == zone + "." && set["type"]?.GetValue<string>() is "NS" or "CNAME")
        {
            Error(node, at, $"the apex's NS records are Route 53's own, and a CNAME is not allowed at the apex");
        }

        return _errors.Count == errors ? set : null;
    }
}
