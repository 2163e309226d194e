using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloudkeep.Secrets.Stores;

/// <summary>JSON documents, key order kept; written tab-indented as sops does. Every number is a double, as in sops.</summary>
internal sealed class JsonStore : ISopsStore
{
    public List<SopsMap> LoadPlain(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [(SopsMap)Read(document.RootElement)!]
                : throw new SopsException(SopsExitCodes.ErrorGeneric, "a JSON document must be an object at its top level") { NotInFormat = true };
        }
        catch (JsonException e)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, $"the file is not valid JSON: {e.Message}", e) { NotInFormat = true };
        }
    }

    public byte[] EmitPlain(List<SopsMap> documents)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            IndentCharacter = '\t',
            IndentSize = 1,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            Write(writer, documents.Count == 0 ? [] : documents[0]);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static object? Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ReadObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Read).ToList(),
        JsonValueKind.String => element.GetString(),
        // sops reads JSON with Go's decoder, which makes every number a float64 (type:float), integers too.
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static SopsMap ReadObject(JsonElement element)
    {
        var map = new SopsMap();
        map.AddRange(element.EnumerateObject().Select(p => new SopsItem(p.Name, Read(p.Value))));
        return map;
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case SopsMap map:
                writer.WriteStartObject();
                foreach (var item in map.Where(i => i.Key is string))
                {
                    writer.WritePropertyName((string)item.Key);
                    Write(writer, item.Value);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list.Where(i => i is not SopsComment))
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case byte[] raw:
                writer.WriteStringValue(Encoding.UTF8.GetString(raw));
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
