using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>Typed reads of the model-shaped input tree the rest-xml decoder built.</summary>
internal static class S3Input
{
    public static string? String(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

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

    public static DateTimeOffset? Timestamp(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var time) ? time : null;

    public static JsonObject? Object(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) ? node as JsonObject : null;

    public static JsonArray? Array(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) ? node as JsonArray : null;

    public static string Bucket(JsonObject input) => String(input, "Bucket") ?? "";

    public static string Key(JsonObject input) => String(input, "Key") ?? "";
}
