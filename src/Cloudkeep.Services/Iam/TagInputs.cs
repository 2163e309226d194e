using System.Text.Json.Nodes;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam;

/// <summary>IAM tag lists: at most 50, keys unique without regard to case.</summary>
public static class TagInputs
{
    public const int MaxTags = 50;

    public static IReadOnlyList<IamTag> Read(JsonObject input) =>
        [.. input.OptArray("Tags").Objects().Select(t => new IamTag(t.Str("Key"), t.Str("Value")))];

    public static IReadOnlyList<IamTag> Merge(IReadOnlyList<IamTag> existing, IReadOnlyList<IamTag> added)
    {
        var merged = existing.Where(t => !added.Any(a => string.Equals(a.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(added).ToList();
        if (merged.Count > MaxTags)
        {
            throw IamErrors.LimitExceeded.ToException($"The number of tags has reached the maximum limit of {MaxTags}.");
        }

        return merged;
    }

    public static IReadOnlyList<IamTag> Remove(IReadOnlyList<IamTag> existing, IEnumerable<string> keys)
    {
        var drop = keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. existing.Where(t => !drop.Contains(t.Key))];
    }
}
