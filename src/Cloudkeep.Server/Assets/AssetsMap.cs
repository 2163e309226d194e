using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Server.Assets;

/// <summary>
/// The router's mapping from a public path to a bucket base, as the Digital Marketplace router did it: a
/// configured prefix first (the seed's /g-cloud-7 drafts), else the path's second segment names the bucket
/// (/g-cloud-12/documents/... → documents), else the default. The path is never rewritten: upstream is the
/// base + the whole original path, so S3 sees exactly what was signed.
/// </summary>
public static class AssetsMap
{
    /// <summary>
    /// The base for <paramref name="rawPath"/> (the request line's path, still percent-encoded), or the reason
    /// it is refused. Refused are paths that could mean something other than one object under the base: dot
    /// segments and encoded separators (a path-style base's bucket must stay the first segment S3 reads), control
    /// characters, the bucket root (a listing), and Cloudkeep's own /_cloudkeep endpoints.
    /// </summary>
    public static bool TryResolve(AssetsOptions options, string rawPath, out AssetsBase target, out string refusal)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rawPath);
        target = options.Default;
        refusal = Check(rawPath, out var path);
        if (refusal.Length > 0)
        {
            return false;
        }

        foreach (var rule in options.Prefixes)
        {
            if (path.StartsWith(rule.Prefix, StringComparison.Ordinal) && (path.Length == rule.Prefix.Length || path[rule.Prefix.Length] == '/'))
            {
                target = rule.Base;
                return true;
            }
        }

        // "/framework/category/..." : segment 0 is empty (the leading slash), 1 the framework, 2 the category.
        var segments = path.Split('/', 4);
        if (segments.Length > 2 && options.Buckets.TryGetValue(segments[2], out var named))
        {
            target = named;
        }

        return true;
    }

    private static string Check(string rawPath, out string path)
    {
        path = "";
        if (rawPath.Length < 2 || rawPath[0] != '/')
        {
            return rawPath == "/" ? "root" : "not an origin-form path";
        }

        if (rawPath.Contains("%2f", StringComparison.OrdinalIgnoreCase) || rawPath.Contains("%5c", StringComparison.OrdinalIgnoreCase))
        {
            return "encoded separator";
        }

        if (!AwsUriEncoding.TryDecode(rawPath, out path))
        {
            return "bad percent-encoding";
        }

        foreach (var c in path)
        {
            if (c < 0x20 || c == 0x7f || c == '\\')
            {
                return "control character or backslash";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "." or "..")
            {
                return "dot segment";
            }
        }

        // ASP.NET's Map matches paths case-insensitively, so /_CloudKeep/... must be refused as well.
        if (path.StartsWith("/_cloudkeep", StringComparison.OrdinalIgnoreCase))
        {
            return "reserved path";
        }

        return "";
    }
}
