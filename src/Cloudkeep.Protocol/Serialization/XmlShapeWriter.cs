using System.Text.Json.Nodes;
using System.Xml;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Writes a model-shaped tree as XML the way the query and rest-xml protocols do: members in model
/// order under their location names, lists wrapped in "member" elements unless flattened, maps as
/// "entry" elements with key and value, timestamps in ISO 8601, booleans as true/false.
/// </summary>
public static class XmlShapeWriter
{
    public static void WriteMembers(XmlWriter writer, Shape shape, JsonObject value)
    {
        List<(long Position, MemberRef Member, JsonNode Item)>? positioned = null;
        foreach (var member in shape.Members)
        {
            if (member.Location is not null || member.XmlAttribute || !value.TryGetPropertyValue(member.Name, out var node) || node is null)
            {
                continue;
            }

            if (member.IsFlattened && node is JsonArray { Count: > 0 } array && array[0] is JsonObject first && first.ContainsKey(OutputPosition.Member))
            {
                positioned ??= [];
                positioned.AddRange(array.Where(i => i is not null).Select(i => (Position(i!), member, i!)));
                continue;
            }

            WriteMember(writer, member, node);
        }

        if (positioned is null)
        {
            return;
        }

        foreach (var (_, member, item) in positioned.OrderBy(p => p.Position))
        {
            var itemRef = member.Shape.ListMember!;
            WriteElement(writer, itemRef.LocationName ?? member.WireName, itemRef, item);
        }
    }

    private static long Position(JsonNode item) => item[OutputPosition.Member] switch
    {
        JsonValue value when value.TryGetValue<long>(out var position) => position,
        JsonValue value when value.TryGetValue<int>(out var position) => position,
        _ => long.MaxValue,
    };

    public static void WriteMember(XmlWriter writer, MemberRef member, JsonNode node)
    {
        var shape = member.Shape;
        var name = member.WireName;
        switch (shape.Type)
        {
            case ShapeType.List:
                var array = (JsonArray)node;
                var itemRef = shape.ListMember!;
                if (member.IsFlattened)
                {
                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            WriteElement(writer, itemRef.LocationName ?? name, itemRef, item);
                        }
                    }

                    return;
                }

                writer.WriteStartElement(name);
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        WriteElement(writer, itemRef.LocationName ?? "member", itemRef, item);
                    }
                }

                writer.WriteEndElement();
                return;
            case ShapeType.Map:
                var map = (JsonObject)node;
                if (!member.IsFlattened)
                {
                    writer.WriteStartElement(name);
                }

                foreach (var (key, value) in map)
                {
                    writer.WriteStartElement(member.IsFlattened ? name : "entry");
                    writer.WriteElementString(shape.MapKey!.LocationName ?? "key", SafeXml.Text(key));
                    if (value is not null)
                    {
                        WriteElement(writer, shape.MapValue!.LocationName ?? "value", shape.MapValue!, value);
                    }

                    writer.WriteEndElement();
                }

                if (!member.IsFlattened)
                {
                    writer.WriteEndElement();
                }

                return;
            default:
                WriteElement(writer, name, member, node);
                return;
        }
    }

    private static void WriteElement(XmlWriter writer, string name, MemberRef reference, JsonNode node)
    {
        var shape = reference.Shape;
        if (shape.Type == ShapeType.Structure)
        {
            if (reference.XmlNamespaceUri is { } elementNs)
            {
                writer.WriteStartElement(name, elementNs);
            }
            else
            {
                // A null namespace keeps the default namespace in scope (the response root's).
                writer.WriteStartElement(name);
            }

            if (reference.XmlNamespaceUri is { } uri && reference.XmlNamespacePrefix is { } prefix)
            {
                writer.WriteAttributeString("xmlns", prefix, null, uri);
            }

            var obj = (JsonObject)node;
            foreach (var attribute in shape.Members.Where(m => m.XmlAttribute))
            {
                if (obj.TryGetPropertyValue(attribute.Name, out var attributeValue) && attributeValue is not null)
                {
                    var attributeName = attribute.WireName;
                    var colon = attributeName.IndexOf(':', StringComparison.Ordinal);
                    var text = SafeXml.Text(ModelValues.FormatScalar(attribute.Shape, attributeValue, ModelValues.Iso8601, attribute.TimestampFormat));
                    // S3's Grantee declares xmlns:xsi on the element and names its attribute xsi:type.
                    var attributeNs = colon <= 0 ? null
                        : attribute.XmlNamespaceUri
                          ?? (reference.XmlNamespacePrefix == attributeName[..colon] ? reference.XmlNamespaceUri : null)
                          ?? (attributeName[..colon] == "xsi" ? "http://www.w3.org/2001/XMLSchema-instance" : null);
                    if (colon > 0 && attributeNs is not null)
                    {
                        writer.WriteAttributeString(attributeName[..colon], attributeName[(colon + 1)..], attributeNs, text);
                    }
                    else
                    {
                        writer.WriteAttributeString(attributeName, text);
                    }
                }
            }

            WriteMembers(writer, shape, obj);
            writer.WriteEndElement();
            return;
        }

        if (shape.Type is ShapeType.List or ShapeType.Map)
        {
            WriteMember(writer, reference, node);
            return;
        }

        writer.WriteElementString(name, SafeXml.Text(ModelValues.FormatScalar(shape, node, ModelValues.Iso8601, reference.TimestampFormat)));
    }
}
