using System.Formats.Cbor;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Smithy RPC v2 CBOR ("smithy.protocols#rpcv2Cbor"): the input and output shapes as CBOR maps
/// keyed by member name, lists as arrays, blobs as byte strings, timestamps as tag 1 (epoch
/// seconds, integer or float), errors as a map with "__type" and "message". Definite and
/// indefinite lengths are both read, as the specification requires of a server; unknown members
/// are skipped and a null member is absent.
/// </summary>
public static class CborProtocol
{
    public const string ContentType = "application/cbor";

    public const string ProtocolHeader = "Smithy-Protocol";

    public const string ProtocolName = "rpc-v2-cbor";

    private const int MaxDepth = JsonProtocol.MaxDepth;

    /// <summary>"/service/{Service}/operation/{Operation}": the service shape's name and the operation's, or false.</summary>
    public static bool TryParsePath(string path, out string service, out string operation)
    {
        service = operation = "";
        const string Prefix = "/service/";
        var start = path.LastIndexOf(Prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        var rest = path[(start + Prefix.Length)..];
        var parts = rest.Split('/');
        if (parts.Length != 3 || parts[1] != "operation" || parts[0].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        service = parts[0];
        operation = parts[2];
        return true;
    }

    public static JsonObject DecodeInput(Shape? input, ReadOnlyMemory<byte> body)
    {
        if (input is null || body.IsEmpty)
        {
            return [];
        }

        // Strict: text strings must be valid UTF-8 and a map may not name a key twice; indefinite lengths stay allowed.
        var reader = new CborReader(body, CborConformanceMode.Strict);
        try
        {
            if (reader.PeekState() != CborReaderState.StartMap)
            {
                throw Invalid("", "a structure");
            }

            var value = (JsonObject)ReadValue(reader, input, "", 0)!;
            if (reader.BytesRemaining != 0)
            {
                throw CommonErrors.Serialization.ToException("The request body holds more than one CBOR data item.");
            }

            return value;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Malformed or truncated CBOR, a wrong major type, an invalid UTF-8 text string.
            throw CommonErrors.Serialization.ToException("The request body is not a well-formed CBOR document of the operation's input.");
        }
    }

    /// <summary>Writes a model-shaped tree (an output, or an input in tests and clients) as CBOR.</summary>
    public static byte[] Encode(Shape? shape, JsonObject value)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        if (shape is null)
        {
            writer.WriteStartMap(0);
            writer.WriteEndMap();
        }
        else
        {
            WriteStructure(writer, shape, value);
        }

        return writer.Encode();
    }

    /// <summary>An operation's answer: empty for an operation with no output shape, as the specification says.</summary>
    public static byte[] WriteOutput(Shape? output, JsonObject value) =>
        output is null ? [] : Encode(output, value);

    public static byte[] WriteError(string type, AwsException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartMap(2 + error.Fields.Count);
        writer.WriteTextString("__type");
        writer.WriteTextString(type);
        writer.WriteTextString("message");
        writer.WriteTextString(error.Message);
        foreach (var (name, value) in error.Fields)
        {
            writer.WriteTextString(name);
            writer.WriteTextString(value);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static JsonNode? ReadValue(CborReader reader, Shape shape, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw CommonErrors.Serialization.ToException("The request body nests deeper than " + MaxDepth + " levels.");
        }

        if (reader.PeekState() == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }

        switch (shape.Type)
        {
            case ShapeType.Structure:
                return ReadStructure(reader, shape, path, depth);
            case ShapeType.List:
                if (reader.PeekState() != CborReaderState.StartArray)
                {
                    throw Invalid(path, "a list");
                }

                reader.ReadStartArray();
                var list = new JsonArray();
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    list.Add(ReadValue(reader, shape.ListMember!.Shape, path + "[]", depth + 1));
                }

                reader.ReadEndArray();
                return list;
            case ShapeType.Map:
                if (reader.PeekState() != CborReaderState.StartMap)
                {
                    throw Invalid(path, "a map");
                }

                reader.ReadStartMap();
                var map = new JsonObject();
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = ReadKey(reader, path);
                    map[key] = ReadValue(reader, shape.MapValue!.Shape, path + "." + key, depth + 1);
                }

                reader.ReadEndMap();
                return map;
            case ShapeType.String:
                return reader.PeekState() is CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString
                    ? JsonValue.Create(reader.ReadTextString())
                    : throw Invalid(path, "a string");
            case ShapeType.Boolean:
                return reader.PeekState() == CborReaderState.Boolean ? JsonValue.Create(reader.ReadBoolean()) : throw Invalid(path, "a boolean");
            case ShapeType.Integer:
            case ShapeType.Long:
                return reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
                    ? JsonValue.Create(reader.ReadInt64())
                    : throw Invalid(path, "an integer");
            case ShapeType.Float:
            case ShapeType.Double:
                return JsonValue.Create(ReadNumber(reader, path, "a number"));
            case ShapeType.Timestamp:
                // Tag 1 (epoch-based date/time), as the specification writes; an untagged number is read the same.
                if (reader.PeekState() == CborReaderState.Tag)
                {
                    var tag = reader.ReadTag();
                    if (tag != CborTag.UnixTimeSeconds)
                    {
                        throw Invalid(path, "a timestamp (tag 1)");
                    }
                }

                var seconds = ReadNumber(reader, path, "a timestamp");
                return seconds is > -62135596800 and < 253402300800 && double.IsFinite(seconds)
                    ? JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)))
                    : throw Invalid(path, "a timestamp within years 1 to 9999");
            case ShapeType.Blob:
                return reader.PeekState() is CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString
                    ? JsonValue.Create(reader.ReadByteString())
                    : throw Invalid(path, "a byte string");
            default:
                reader.SkipValue();
                return null;
        }
    }

    private static JsonObject ReadStructure(CborReader reader, Shape shape, string path, int depth)
    {
        if (reader.PeekState() != CborReaderState.StartMap)
        {
            throw Invalid(path, "a structure");
        }

        reader.ReadStartMap();
        var result = new JsonObject();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            var name = ReadKey(reader, path);
            if (shape.MembersByName.TryGetValue(name, out var member))
            {
                var value = ReadValue(reader, member.Shape, path + "." + name, depth + 1);
                if (value is not null)
                {
                    result[name] = value;
                }
                else
                {
                    result.Remove(name);
                }
            }
            else
            {
                reader.SkipValue();
            }
        }

        reader.ReadEndMap();
        return result;
    }

    private static string ReadKey(CborReader reader, string path) =>
        reader.PeekState() is CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString
            ? reader.ReadTextString()
            : throw Invalid(path, "a map keyed by text strings");

    private static double ReadNumber(CborReader reader, string path, string expected) =>
        reader.PeekState() switch
        {
            CborReaderState.HalfPrecisionFloat => (double)reader.ReadHalf(),
            CborReaderState.SinglePrecisionFloat => reader.ReadSingle(),
            CborReaderState.DoublePrecisionFloat => reader.ReadDouble(),
            CborReaderState.UnsignedInteger => reader.ReadUInt64(),
            CborReaderState.NegativeInteger => reader.ReadInt64(),
            _ => throw Invalid(path, expected),
        };

    private static void WriteStructure(CborWriter writer, Shape shape, JsonObject value)
    {
        var present = shape.Members.Where(m => value.TryGetPropertyValue(m.Name, out var node) && node is not null).ToList();
        writer.WriteStartMap(present.Count);
        foreach (var member in present)
        {
            writer.WriteTextString(member.Name);
            WriteValue(writer, member.Shape, value[member.Name]!);
        }

        writer.WriteEndMap();
    }

    private static void WriteValue(CborWriter writer, Shape shape, JsonNode node)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                WriteStructure(writer, shape, (JsonObject)node);
                break;
            case ShapeType.List:
                var array = (JsonArray)node;
                writer.WriteStartArray(array.Count);
                foreach (var item in array)
                {
                    if (item is null)
                    {
                        writer.WriteNull();
                    }
                    else
                    {
                        WriteValue(writer, shape.ListMember!.Shape, item);
                    }
                }

                writer.WriteEndArray();
                break;
            case ShapeType.Map:
                var map = (JsonObject)node;
                writer.WriteStartMap(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.WriteTextString(key);
                    if (item is null)
                    {
                        writer.WriteNull();
                    }
                    else
                    {
                        WriteValue(writer, shape.MapValue!.Shape, item);
                    }
                }

                writer.WriteEndMap();
                break;
            case ShapeType.String:
                writer.WriteTextString(node.GetValue<string>());
                break;
            case ShapeType.Boolean:
                writer.WriteBoolean(node.GetValue<bool>());
                break;
            case ShapeType.Integer:
            case ShapeType.Long:
                writer.WriteInt64(Integer((JsonValue)node));
                break;
            case ShapeType.Float:
            case ShapeType.Double:
                writer.WriteDouble(Number((JsonValue)node));
                break;
            case ShapeType.Timestamp:
                var milliseconds = ModelValues.ReadTimestamp(node).ToUnixTimeMilliseconds();
                writer.WriteTag(CborTag.UnixTimeSeconds);
                if (milliseconds % 1000 == 0)
                {
                    writer.WriteInt64(milliseconds / 1000);
                }
                else
                {
                    writer.WriteDouble(milliseconds / 1000.0);
                }

                break;
            case ShapeType.Blob:
                writer.WriteByteString(ModelValues.ReadBlob(node));
                break;
            default:
                writer.WriteNull();
                break;
        }
    }

    private static long Integer(JsonValue value) =>
        value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : (long)value.GetValue<double>();

    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : value.GetValue<float>();

    private static AwsException Invalid(string path, string expected) =>
        CommonErrors.Serialization.ToException($"Value at '{path.TrimStart('.')}' is not {expected}.");
}
