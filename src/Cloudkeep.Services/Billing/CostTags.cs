using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>A resource's cost allocation tags as usage rows keep them: a JSON object with keys in ordinal order, "" for none.</summary>
public static class CostTags
{
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var sorted = tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return "";
        }

        var json = new JsonObject();
        foreach (var (key, value) in sorted)
        {
            json[key] = value;
        }

        return json.ToJsonString();
    }

    /// <summary>The tag set of a bucket's configuration document (its Tagging part), canonical.</summary>
    public static string OfBucketConfig(string config)
    {
        try
        {
            var tagSet = (JsonNode.Parse(config) as JsonObject)?["Tagging"]?["TagSet"] as JsonArray;
            return Canonical((tagSet ?? []).OfType<JsonObject>()
                .Select(t => new KeyValuePair<string, string>(t["Key"]?.GetValue<string>() ?? "", t["Value"]?.GetValue<string>() ?? ""))
                .Where(t => t.Key.Length > 0));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    public static IReadOnlyDictionary<string, string> Parse(string tags)
    {
        if (tags.Length == 0)
        {
            return new Dictionary<string, string>();
        }

        return (JsonNode.Parse(tags) as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }
}
