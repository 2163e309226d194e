using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services;

/// <summary>Reading members of a decoded input tree (already validated against the model's constraints).</summary>
public static class OperationInputs
{
    public static string Str(this JsonObject input, string member) =>
        input.OptStr(member) ?? throw CommonErrors.ValidationError.ToException($"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");

    public static string? OptStr(this JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? OptLong(this JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>An integer member, whether the tree holds it as a long (decoded) or an int (built in code).</summary>
    public static long? OptInteger(this JsonObject input, string member)
    {
        if (!input.TryGetPropertyValue(member, out var node) || node is not JsonValue value)
        {
            return null;
        }

        return value.TryGetValue<long>(out var number) ? number : value.TryGetValue<int>(out var small) ? small : null;
    }

    public static JsonObject? OptObject(this JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) ? node as JsonObject : null;

    public static bool? OptBool(this JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static JsonArray? OptArray(this JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) ? node as JsonArray : null;

    public static IEnumerable<JsonObject> Objects(this JsonArray? array) =>
        array is null ? [] : array.OfType<JsonObject>();

    public static IEnumerable<string> Strings(this JsonArray? array) =>
        array is null ? [] : array.OfType<JsonValue>().Select(v => v.GetValue<string>());
}
