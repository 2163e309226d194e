using System.Diagnostics.CodeAnalysis;

namespace Cloudkeep.Protocol.Http;

/// <summary>
/// x-amz-copy-source: "bucket/key", URL-encoded, optionally with a leading slash and ?versionId=.
/// </summary>
public sealed record CopySourceHeader(string Bucket, string Key, string? VersionId)
{
    private const string VersionIdParameter = "versionId=";

    /// <summary>False when the value names no bucket or no key.</summary>
    public static bool TryParse(string header, [NotNullWhen(true)] out CopySourceHeader? source)
    {
        ArgumentNullException.ThrowIfNull(header);
        source = null;

        // A literal '?' starts ?versionId=; a '?' inside the key arrives encoded. Some SDKs encode
        // the separating slash too, so the whole value is decoded before it is split.
        var raw = header;
        string? versionId = null;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            versionId = VersionIdOf(raw[(query + 1)..]);
            raw = raw[..query];
        }

        var text = Uri.UnescapeDataString(raw);
        text = text.StartsWith('/') ? text[1..] : text;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        source = new CopySourceHeader(text[..slash], text[(slash + 1)..], versionId);
        return true;
    }

    private static string? VersionIdOf(string query)
    {
        foreach (var parameter in query.Split('&'))
        {
            if (parameter.StartsWith(VersionIdParameter, StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(parameter[VersionIdParameter.Length..]);
            }
        }

        return null;
    }
}
