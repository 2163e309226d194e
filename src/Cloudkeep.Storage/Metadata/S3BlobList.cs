using System.Globalization;

namespace Cloudkeep.Storage.Metadata;

/// <summary>The ordered blobs holding one object's bytes, as stored in <see cref="S3ObjectRecord.Blobs"/>: "blob:length,blob:length".</summary>
public static class S3BlobList
{
    public static string Format(IEnumerable<(string BlobId, long Length)> blobs) =>
        string.Join(",", blobs.Select(b => b.BlobId + ":" + b.Length.ToString(CultureInfo.InvariantCulture)));

    public static IReadOnlyList<(string BlobId, long Length)> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return [];
        }

        var result = new List<(string, long)>();
        foreach (var item in value.Split(','))
        {
            var colon = item.LastIndexOf(':');
            result.Add((item[..colon], long.Parse(item.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture)));
        }

        return result;
    }
}
