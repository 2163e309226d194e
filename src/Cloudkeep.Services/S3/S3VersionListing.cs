using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// One page of ListObjectVersions: versions and delete markers in key order, newest first within a
/// key, rolled up into common prefixes at the delimiter as <see cref="S3Listing"/> does. Every
/// version and every common prefix counts toward max-keys.
/// </summary>
internal static class S3VersionListing
{
    private const int Batch = 1000;

    public sealed record Page(IReadOnlyList<S3VersionEntry> Entries, IReadOnlyList<string> CommonPrefixes, bool Truncated, string? NextKey, string? NextVersionId);

    public static async Task<Page> ListAsync(S3Repository repository, string bucket, string prefix, string? delimiter, string afterKey, long? beforeSequence, int maxKeys, CancellationToken cancellationToken)
    {
        var entries = new List<S3VersionEntry>();
        var prefixes = new List<string>();
        if (maxKeys == 0)
        {
            return new Page(entries, prefixes, false, null, null);
        }

        (string Key, string? VersionId)? last = null;
        var count = 0;
        while (true)
        {
            var batch = await repository.ListVersionsAsync(bucket, prefix, afterKey, beforeSequence, Batch, cancellationToken);
            var jumped = false;
            foreach (var entry in batch)
            {
                var key = entry.Version.Key;
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (count == maxKeys)
                {
                    return new Page(entries, prefixes, true, last?.Key, last?.VersionId);
                }

                count++;
                if (S3Listing.CommonPrefix(key, prefix, delimiter) is { } common)
                {
                    prefixes.Add(common);
                    last = (common, null);
                    (afterKey, beforeSequence) = (S3Repository.PrefixUpperBound(common)!, null);
                    jumped = true;
                    break;
                }

                entries.Add(entry);
                last = (key, entry.Version.VersionId);
                (afterKey, beforeSequence) = (key, entry.Version.Sequence);
            }

            if (!jumped && batch.Count < Batch)
            {
                return new Page(entries, prefixes, false, null, null);
            }
        }
    }
}
