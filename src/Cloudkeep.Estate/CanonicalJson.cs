using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// One text per document: compact JSON with object keys sorted, so a policy written in YAML, in
/// JSON with other spacing, or returned by AWS compares equal when it means the same.
/// </summary>
internal static class CanonicalJson
{
    // Relaxed escaping keeps ARNs, conditions and ${...} readable in plan output.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonNode? node) => Sorted(node)?.ToJsonString(Options) ?? "null";

    /// <summary>Canonical form of JSON text; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static string Parse(string json) => Of(JsonNode.Parse(json));

    public static bool TryParse(string json, out string canonical)
    {
        try
        {
            canonical = Parse(json);
            return true;
        }
        catch (JsonException)
        {
            canonical = "";
            return false;
        }
    }

    public static JsonNode? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", FromYaml(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(FromYaml)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    public static string StringList(IEnumerable<string> values) => Of(new JsonArray([.. values.Order(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v))]));

    public static string StringMap(IEnumerable<KeyValuePair<string, string>> values) =>
        Of(new JsonObject(values.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))));

    /// <summary>Plain YAML scalars keep their YAML meaning (true, 3600, null); quoted ones stay strings.</summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ when long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}
