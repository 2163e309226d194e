using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// A parsed request document as a mutable tree, every string checked once. A member given twice
/// keeps its last value, as the Jackson parser behind AWS's JSON services does by default.
/// </summary>
internal static class JsonInput
{
    /// <exception cref="InvalidOperationException">A string is not valid UTF-8 or holds a lone surrogate.</exception>
    public static JsonNode? ToNode(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Object => ToObject(element),
            JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(ToNode)]),
            // GetString throws InvalidOperationException for invalid UTF-8 and for unpaired surrogate escapes.
            JsonValueKind.String => JsonValue.Create(element.GetString()!),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(element.Clone()),
        };

    private static JsonObject ToObject(JsonElement element)
    {
        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            // Name, like GetString, throws InvalidOperationException for a lone surrogate escape.
            result[property.Name] = ToNode(property.Value);
        }

        return result;
    }
}
