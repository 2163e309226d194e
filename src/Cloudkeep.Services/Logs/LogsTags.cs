using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Logs;

/// <summary>Log group tags: at most 50, keys 1-128 characters not starting with "aws:", values up to 256.</summary>
public static class LogsTags
{
    public static Dictionary<string, string> Read(JsonObject? tags)
    {
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags ?? [])
        {
            if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || ((string?)value ?? "").Length > 256)
            {
                throw LogsErrors.InvalidParameter.ToException("Tag keys must be 1 to 128 characters not starting with aws:, values at most 256.");
            }

            read[key] = (string?)value ?? "";
        }

        return read.Count > 50 ? throw LogsErrors.InvalidParameter.ToException("A log group can have at most 50 tags.") : read;
    }

    public static Dictionary<string, string> ReadStored(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(IReadOnlyDictionary<string, string> tags) => JsonSerializer.Serialize(tags);
}
