using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Decodes the query protocol's flat parameters (IAM, STS) into the input shape's tree, following
/// the model's naming: structures as "Name.Member", lists as "Name.member.N" (or "Name.N" when
/// flattened), maps as "Name.entry.N.key" / ".value"; an empty "Name=" is an empty list.
/// </summary>
public static class QueryDecoder
{
    private const int MaxListItems = 1000;

    public static JsonObject Decode(Shape? input, IReadOnlyDictionary<string, string> parameters)
    {
        var result = new JsonObject();
        if (input is null)
        {
            return result;
        }

        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in parameters.Keys)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            while (dot > 0)
            {
                prefixes.Add(key[..dot]);
                dot = key.IndexOf('.', dot + 1);
            }

            prefixes.Add(key);
        }

        DecodeMembers(input, "", parameters, prefixes, result, depth: 0);
        return result;
    }

    private static void DecodeMembers(Shape shape, string prefix, IReadOnlyDictionary<string, string> parameters, HashSet<string> prefixes, JsonObject target, int depth)
    {
        foreach (var member in shape.Members)
        {
            var name = prefix.Length == 0 ? member.WireName : prefix + "." + member.WireName;
            var value = DecodeValue(member, name, parameters, prefixes, depth + 1);
            if (value is not null)
            {
                target[member.Name] = value;
            }
        }
    }

    private static JsonNode? DecodeValue(MemberRef member, string name, IReadOnlyDictionary<string, string> parameters, HashSet<string> prefixes, int depth)
    {
        if (depth > 16 || !prefixes.Contains(name))
        {
            return null;
        }

        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var structure = new JsonObject();
                DecodeMembers(shape, name, parameters, prefixes, structure, depth);
                return structure;
            case ShapeType.List:
                var list = new JsonArray();
                if (parameters.TryGetValue(name, out var empty) && empty.Length == 0)
                {
                    return list;
                }

                var itemPrefix = member.IsFlattened ? name : name + "." + (shape.ListMember!.LocationName ?? "member");
                for (var i = 1; i <= MaxListItems; i++)
                {
                    var item = DecodeValue(shape.ListMember!, itemPrefix + "." + i, parameters, prefixes, depth + 1);
                    if (item is null)
                    {
                        break;
                    }

                    list.Add(item);
                }

                return list;
            case ShapeType.Map:
                var map = new JsonObject();
                var entryPrefix = member.IsFlattened ? name : name + ".entry";
                var keyName = shape.MapKey!.LocationName ?? "key";
                var valueName = shape.MapValue!.LocationName ?? "value";
                for (var i = 1; i <= MaxListItems; i++)
                {
                    var entry = entryPrefix + "." + i;
                    if (!parameters.TryGetValue(entry + "." + keyName, out var key))
                    {
                        break;
                    }

                    map[key] = DecodeValue(shape.MapValue!, entry + "." + valueName, parameters, prefixes, depth + 1);
                }

                return map;
            default:
                if (!parameters.TryGetValue(name, out var text))
                {
                    return null;
                }

                if (!ModelValues.TryParseScalar(shape, text, ModelValues.Iso8601, member.TimestampFormat, out var value))
                {
                    throw CommonErrors.ValidationError.ToException(
                        $"1 validation error detected: Value '{Truncate(text)}' at '{name}' failed to satisfy constraint: Member must be a valid {shape.Type.ToString().ToLowerInvariant()}");
                }

                return value;
        }
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
