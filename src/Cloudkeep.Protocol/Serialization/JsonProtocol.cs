using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// The awsJson1_0/1_1 protocol (KMS, Organizations): the body is the input shape as JSON, the
/// output likewise; timestamps are epoch seconds, blobs base64; errors are {"__type", "message"}.
/// </summary>
public static class JsonProtocol
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static JsonObject DecodeInput(Shape? input, ReadOnlySpan<byte> body)
    {
        if (input is null)
        {
            return [];
        }

        if (body.IsEmpty)
        {
            return [];
        }

        JsonNode? parsed;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), DocumentOptions);
            parsed = JsonInput.ToNode(document.RootElement);
        }
        catch (JsonException)
        {
            throw CommonErrors.Serialization.ToException("Start of structure or map found where not expected.");
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone surrogate escape ("\ud800") in a string: text no member can hold.
            throw CommonErrors.Serialization.ToException("Invalid UTF-8 or UTF-16 in a JSON string.");
        }

        if (parsed is not JsonObject)
        {
            throw CommonErrors.Serialization.ToException("Start of structure or map found where not expected.");
        }

        return (JsonObject)ModelValues.FromJson(input, parsed, "")!;
    }

    public static byte[] WriteOutput(Shape? output, JsonObject value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (output is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                WriteStructure(writer, output, value);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The error document; <paramref name="type"/> is the "__type" written, the error's code unless the service names it otherwise.</summary>
    public static byte[] WriteError(AwsException error, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", type ?? error.Code);
            writer.WriteString("message", error.Message);
            foreach (var (name, value) in error.Fields)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStructure(Utf8JsonWriter writer, Shape shape, JsonObject value)
    {
        writer.WriteStartObject();
        foreach (var member in shape.Members)
        {
            if (value.TryGetPropertyValue(member.Name, out var node) && node is not null)
            {
                writer.WritePropertyName(member.LocationName ?? member.Name);
                WriteValue(writer, member.Shape, node);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, Shape shape, JsonNode node)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                WriteStructure(writer, shape, (JsonObject)node);
                break;
            case ShapeType.List:
                writer.WriteStartArray();
                foreach (var item in (JsonArray)node)
                {
                    if (item is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        WriteValue(writer, shape.ListMember!.Shape, item);
                    }
                }

                writer.WriteEndArray();
                break;
            case ShapeType.Map:
                writer.WriteStartObject();
                foreach (var (key, item) in (JsonObject)node)
                {
                    writer.WritePropertyName(key);
                    if (item is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        WriteValue(writer, shape.MapValue!.Shape, item);
                    }
                }

                writer.WriteEndObject();
                break;
            case ShapeType.Timestamp:
                writer.WriteNumberValue(ModelValues.ReadTimestamp(node).ToUnixTimeMilliseconds() / 1000.0);
                break;
            case ShapeType.Blob:
                writer.WriteBase64StringValue(ModelValues.ReadBlob(node));
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
