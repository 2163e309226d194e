using System.Xml.Linq;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>What the benchmark needs from one ListObjectsV2 answer.</summary>
internal sealed record ListPage(int Keys, bool IsTruncated, string? NextContinuationToken, string? LastKey)
{
    /// <summary>Reads a ListBucketResult by local names, so it does not depend on the S3 namespace being declared.</summary>
    public static ListPage Parse(string xml)
    {
        var root = XElement.Parse(xml);
        var keys = root.Elements().Where(e => e.Name.LocalName == "Contents").ToList();
        string? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var truncated = string.Equals(Child(root, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
        var token = Child(root, "NextContinuationToken");
        if (truncated && string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException("a truncated ListObjectsV2 page without NextContinuationToken");
        }

        return new ListPage(keys.Count, truncated, truncated ? token : null, keys.Count == 0 ? null : Child(keys[^1], "Key"));
    }
}
