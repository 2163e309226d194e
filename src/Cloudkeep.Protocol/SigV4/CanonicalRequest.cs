using System.Text;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Builds the canonical request of "Create a canonical request" (AWS IAM User Guide, SigV4):
/// method, canonical URI, canonical query string, canonical headers, signed headers, payload hash.
/// </summary>
public static class CanonicalRequest
{
    public static string Build(
        ISignableRequest request,
        IReadOnlyList<string> signedHeaders,
        string payloadHash,
        bool s3Style,
        bool excludeSignatureParameter)
    {
        var builder = new StringBuilder(1024);
        AppendTo(builder, request, signedHeaders, payloadHash, s3Style, excludeSignatureParameter);
        return builder.ToString();
    }

    /// <summary>Appends the canonical request to <paramref name="builder"/> (the verifier reuses one per thread).</summary>
    public static void AppendTo(
        StringBuilder builder,
        ISignableRequest request,
        IReadOnlyList<string> signedHeaders,
        string payloadHash,
        bool s3Style,
        bool excludeSignatureParameter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        builder.Append(request.Method).Append('\n');
        AppendCanonicalUri(builder, request.RawPath, s3Style);
        builder.Append('\n');
        AppendCanonicalQuery(builder, request.RawQuery, excludeSignatureParameter);
        builder.Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            if (request.TryGetHeader(name, out var value))
            {
                AppendTrimmedHeaderValue(builder, value);
            }

            builder.Append('\n');
        }

        builder.Append('\n');
        for (var i = 0; i < signedHeaders.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(';');
            }

            builder.Append(signedHeaders[i]);
        }

        builder.Append('\n').Append(payloadHash);
    }

    /// <summary>
    /// S3 signs the path encoded once and never normalised (a key may hold "//" or "./"); every
    /// other service signs the normalised path encoded twice ("Each path segment must be
    /// URI-encoded twice ... except for Amazon S3", AWS IAM User Guide).
    /// </summary>
    internal static void AppendCanonicalUri(StringBuilder builder, string rawPath, bool s3Style)
    {
        if (rawPath.Length == 0)
        {
            builder.Append('/');
            return;
        }

        if (s3Style)
        {
            // Decode what the client escaped, then escape it the one canonical way, so clients
            // that leave safe characters (such as '!' or '*') unescaped still verify.
            var decoded = AwsUriEncoding.TryDecode(rawPath, out var text) ? text : rawPath;
            AwsUriEncoding.Append(builder, decoded, keepSlash: true);
            return;
        }

        AwsUriEncoding.Append(builder, NeedsNormalizing(rawPath) ? NormalizePath(rawPath) : rawPath, keepSlash: true);
    }

    private static bool NeedsNormalizing(string path) =>
        !path.StartsWith('/')
        || path.Contains("//", StringComparison.Ordinal)
        || path.Contains("/./", StringComparison.Ordinal)
        || path.Contains("/../", StringComparison.Ordinal)
        || path.EndsWith("/.", StringComparison.Ordinal)
        || path.EndsWith("/..", StringComparison.Ordinal);

    /// <summary>RFC 3986 dot-segment removal, and empty segments collapsed, keeping a trailing slash.</summary>
    internal static string NormalizePath(string path)
    {
        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        var trailingSlash = output.Count > 0 && (path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal));
        var result = "/" + string.Join('/', output);
        return trailingSlash ? result + "/" : result;
    }

    internal static void AppendCanonicalQuery(StringBuilder builder, string rawQuery, bool excludeSignatureParameter)
    {
        if (rawQuery.Length == 0)
        {
            return;
        }

        var pairs = new List<KeyValuePair<string, string>>(8);
        var rest = rawQuery.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var part = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            if (part.IsEmpty)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? [] : part[(equals + 1)..];
            var name = Canonicalize(rawName);
            if (excludeSignatureParameter && name == "X-Amz-Signature")
            {
                continue;
            }

            pairs.Add(new(name, Canonicalize(rawValue)));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(pairs[i].Key).Append('=').Append(pairs[i].Value);
        }
    }

    /// <summary>
    /// URI-encode(decode(raw)). Most parameters (Action=ListUsers) are already canonical, so those
    /// are taken as they are without a decode and re-encode.
    /// </summary>
    private static string Canonicalize(ReadOnlySpan<char> raw)
    {
        if (!raw.ContainsAnyExcept(CanonicalQueryCharacters))
        {
            return raw.ToString();
        }

        var decoded = AwsUriEncoding.TryDecode(raw, out var text) ? text : raw.ToString();
        return AwsUriEncoding.Encode(decoded);
    }

    private static readonly System.Buffers.SearchValues<char> CanonicalQueryCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>"Trim any leading or trailing spaces, and convert sequential spaces to a single space."</summary>
    internal static void AppendTrimmedHeaderValue(StringBuilder builder, ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (!value.Contains('\t') && !value.Contains("  ", StringComparison.Ordinal))
        {
            builder.Append(value);
            return;
        }

        var previousSpace = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t')
            {
                if (!previousSpace)
                {
                    builder.Append(' ');
                }

                previousSpace = true;
                continue;
            }

            previousSpace = false;
            builder.Append(c);
        }
    }
}
