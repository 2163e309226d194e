using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Kms;

/// <summary>Typed reads of the model-shaped input tree (already validated against the model by the pipeline).</summary>
internal static class KmsInput
{
    public static string? String(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string RequiredString(JsonObject input, string name) =>
        String(input, name) ?? throw KmsErrors.Validation.ToException($"1 validation error detected: Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    /// <summary>The decoder stores integers as long; an int (a tree built in code) is read too.</summary>
    public static long? Integer(JsonObject input, string name)
    {
        if (!input.TryGetPropertyValue(name, out var node) || node is not JsonValue value)
        {
            return null;
        }

        return value.TryGetValue<long>(out var number) ? number : value.TryGetValue<int>(out var small) ? small : null;
    }

    public static bool? Boolean(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static byte[]? Blob(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<byte[]>(out var bytes) ? bytes : null;

    /// <summary>
    /// A required blob within its model length. The pipeline's model validator checks strings,
    /// numbers and lists but not blob lengths, so KMS checks them here, in AWS's words.
    /// </summary>
    public static byte[] RequiredBlob(JsonObject input, string name, int min, int max)
    {
        var bytes = Blob(input, name)
            ?? throw KmsErrors.Validation.ToException($"1 validation error detected: Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");
        if (bytes.Length < min || bytes.Length > max)
        {
            var bound = bytes.Length < min ? $"greater than or equal to {min}" : $"less than or equal to {max}";
            throw KmsErrors.Validation.ToException(
                $"1 validation error detected: Value at '{Camel(name)}' failed to satisfy constraint: Member must have length {bound}");
        }

        return bytes;
    }

    public static IReadOnlyDictionary<string, string>? Map(JsonObject input, string name)
    {
        if (!input.TryGetPropertyValue(name, out var node) || node is not JsonObject map)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            result[key] = item is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        }

        return result;
    }

    public static IReadOnlyList<string> StringList(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonArray array
            ? [.. array.Select(item => item is JsonValue value && value.TryGetValue<string>(out var text) ? text : "")]
            : [];

    /// <summary>A Tags list ([{TagKey, TagValue}]) in request order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Tags(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonArray array
            ? [.. array.OfType<JsonObject>().Select(tag => KeyValuePair.Create(String(tag, "TagKey") ?? "", String(tag, "TagValue") ?? ""))]
            : [];

    /// <summary>AWS names members in lower camel case in its validation messages.</summary>
    public static string Camel(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
