namespace Cloudkeep.Services.Kms;

/// <summary>Tag rules for KMS keys ("Tagging keys" in the KMS developer guide): no aws: prefix, no duplicate keys, at most 50.</summary>
internal static class KmsTags
{
    public const int MaxTags = 50;

    public static IReadOnlyList<KeyValuePair<string, string>> Validate(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in tags)
        {
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw KmsErrors.Tag.ToException("Tags beginning with aws: are reserved");
            }

            if (!seen.Add(key))
            {
                throw KmsErrors.Tag.ToException($"Duplicate tag keys: {key}");
            }
        }

        if (tags.Count > MaxTags)
        {
            throw KmsErrors.LimitExceeded.ToException($"A KMS key can have at most {MaxTags} tags.");
        }

        return tags;
    }
}
