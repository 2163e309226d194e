namespace Cloudkeep.Protocol.Http;

/// <summary>
/// x-amz-tagging: tags as a URL query string ("k1=v1&amp;k2=v2", form-encoded, so '+' is a space).
/// A pair without '=' is a key with an empty value, as S3 reads it.
/// </summary>
public static class TaggingHeader
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var pair in header.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            tags.Add(new(key, value));
        }

        return tags;
    }

    /// <summary>The header a client sends for these tags (what the SDKs write).</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string>> tags) =>
        string.Join('&', tags.Select(t => Uri.EscapeDataString(t.Key) + "=" + Uri.EscapeDataString(t.Value)));

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
