using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// One page of a bucket listing: keys after a position, rolled up into common prefixes at the
/// delimiter. A common prefix is returned once and the scan jumps past every key under it, so a
/// folder of a million keys costs one step.
/// </summary>
internal static class S3Listing
{
    private const int Batch = 1000;

    public sealed record Page(IReadOnlyList<S3ObjectRecord> Objects, IReadOnlyList<string> CommonPrefixes, bool Truncated, string? LastReturned, string NextPosition);

    public static async Task<Page> ListAsync(S3Repository repository, string bucket, string prefix, string? delimiter, string after, int maxKeys, CancellationToken cancellationToken)
    {
        var objects = new List<S3ObjectRecord>();
        var prefixes = new List<string>();
        if (maxKeys == 0)
        {
            // S3 answers max-keys=0 with an empty page that is not truncated (KeyCount 0, no continuation
            // token or NextMarker), whatever the bucket holds: there is no page to continue from.
            return new Page(objects, prefixes, false, null, after);
        }

        var position = after;
        string? last = null;
        var count = 0;
        while (true)
        {
            var batch = await repository.ListObjectsAsync(bucket, prefix, position, Batch, cancellationToken);
            if (batch.Count == 0)
            {
                return new Page(objects, prefixes, false, last, position);
            }

            var jumped = false;
            foreach (var record in batch)
            {
                if (!record.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var common = CommonPrefix(record.Key, prefix, delimiter);
                if (count == maxKeys)
                {
                    return new Page(objects, prefixes, true, last, position);
                }

                count++;
                if (common is not null)
                {
                    prefixes.Add(common);
                    last = common;
                    position = S3Repository.PrefixUpperBound(common)!;
                    jumped = true;
                    break;
                }

                objects.Add(record);
                last = record.Key;
                position = record.Key;
            }

            if (!jumped && batch.Count < Batch)
            {
                return new Page(objects, prefixes, false, last, position);
            }
        }
    }

    /// <summary>The common prefix a key rolls up into at the delimiter (after the prefix), or null.</summary>
    public static string? CommonPrefix(string key, string prefix, string? delimiter)
    {
        if (string.IsNullOrEmpty(delimiter))
        {
            return null;
        }

        var index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return index < 0 ? null : key[..(index + delimiter.Length)];
    }

    /// <summary>encoding-type=url: percent-encode as S3 does, leaving '/' readable.</summary>
    public static string Encode(string value, bool url) =>
        url ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;
}
