using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Route53;

/// <summary>Typed reads of the model-shaped input tree (already checked against the model by the pipeline).</summary>
internal static class Route53Input
{
    public static string? String(JsonObject input, string name) => input.OptStr(name);

    public static long? Integer(JsonObject input, string name) => input.OptInteger(name);

    public static bool? Boolean(JsonObject input, string name) => input.OptBool(name);

    public static JsonObject? Object(JsonObject input, string name) => input.OptObject(name);

    public static JsonArray? Array(JsonObject input, string name) => input.OptArray(name);

    /// <summary>
    /// The maxitems of a List operation: a string in the model, a number to Route 53, which caps it
    /// at <paramref name="ceiling"/> and refuses what is not a positive number.
    /// </summary>
    public static int MaxItems(JsonObject input, int ceiling)
    {
        var text = String(input, "MaxItems");
        if (text is null)
        {
            return ceiling;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw Route53Errors.InvalidInput.ToException($"1 validation error detected: Value '{text}' at 'maxItems' failed to satisfy constraint: Member must be a positive number");
        }

        return Math.Min(value, ceiling);
    }
}
