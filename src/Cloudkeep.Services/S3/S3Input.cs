using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>Typed reads of the model-shaped input tree the rest-xml decoder built.</summary>
internal static class S3Input
{
    public static string? String(JsonObject input, string name) => input.OptStr(name);

    public static long? Integer(JsonObject input, string name) => input.OptInteger(name);

    public static bool? Boolean(JsonObject input, string name) => input.OptBool(name);

    public static DateTimeOffset? Timestamp(JsonObject input, string name) =>
        input.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var time) ? time : null;

    public static JsonObject? Object(JsonObject input, string name) => input.OptObject(name);

    public static JsonArray? Array(JsonObject input, string name) => input.OptArray(name);

    public static string Bucket(JsonObject input) => String(input, "Bucket") ?? "";

    public static string Key(JsonObject input) => String(input, "Key") ?? "";
}
