using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Sns;

/// <summary>Topic tags: at most 50, keys 1-128 characters not starting with "aws:", values up to 256.</summary>
public static class SnsTags
{
    public const int MaxTags = 50;

    public static Dictionary<string, string> Read(JsonArray? tags)
    {
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags.Objects())
        {
            read[tag.OptStr("Key") ?? ""] = tag.OptStr("Value") ?? "";
        }

        return read;
    }

    public static Dictionary<string, string> ReadStored(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(IReadOnlyDictionary<string, string> tags) => JsonSerializer.Serialize(tags);

    public static void Check(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                throw SnsErrors.Invalid("Tags Reason: a tag key must be 1 to 128 characters and a value at most 256");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw SnsErrors.Invalid("Tags Reason: Keys may not start with the reserved prefix aws:");
            }
        }

        if (tags.Count > MaxTags)
        {
            throw SnsErrors.TagLimitExceeded.ToException();
        }
    }

    /// <summary>aws:RequestTag/* and aws:TagKeys of a request that tags.</summary>
    public static Dictionary<string, IReadOnlyList<string>>? RequestKeys(JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tags = Read(input.OptArray("Tags"));
        if (tags.Count == 0)
        {
            return null;
        }

        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["aws:TagKeys"] = [.. tags.Keys] };
        foreach (var (key, value) in tags)
        {
            keys["aws:RequestTag/" + key] = [value];
        }

        return keys;
    }
}
