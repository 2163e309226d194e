using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Protocol.SigV2;

/// <summary>
/// S3's legacy query-string authentication (signature version 2: AWSAccessKeyId, Expires,
/// Signature), which the AWS CLI v1's `aws s3 presign` still produces by default. The string to
/// sign is "Authenticating requests (AWS Signature Version 2)" of the S3 developer guide: verb,
/// Content-MD5, Content-Type, Expires, the x-amz-* headers and the canonicalized resource.
/// </summary>
public static class SigV2Presigned
{
    /// <summary>The sub-resources that are part of the canonicalized resource, in the order S3 sorts them.</summary>
    private static readonly string[] SubResources =
    [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy", "requestPayment",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ];

    public static bool IsPresent(IReadOnlyDictionary<string, string> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.ContainsKey("AWSAccessKeyId") && query.ContainsKey("Signature") && query.ContainsKey("Expires");
    }

    public sealed record Parameters(string AccessKeyId, string Signature, long Expires, string? SecurityToken);

    public static Parameters Parse(IReadOnlyDictionary<string, string> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!long.TryParse(query["Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw S3AuthErrors.InvalidArgument.ToException("Expires must be a number of seconds since the epoch.");
        }

        return new Parameters(query["AWSAccessKeyId"], query["Signature"], expires, query.GetValueOrDefault("x-amz-security-token"));
    }

    /// <summary>
    /// The string to sign. <paramref name="resourcePath"/> is the request path as sent (still
    /// URL-encoded), with a virtual-host bucket prepended.
    /// </summary>
    public static string StringToSign(string method, string? contentMd5, string? contentType, long expires, IEnumerable<KeyValuePair<string, string>> amzHeaders, string resourcePath, IReadOnlyDictionary<string, string> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var builder = new StringBuilder();
        builder.Append(method).Append('\n')
            .Append(contentMd5 ?? "").Append('\n')
            .Append(contentType ?? "").Append('\n')
            .Append(expires.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var group in amzHeaders.GroupBy(h => h.Key.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append(group.Key).Append(':').Append(string.Join(",", group.Select(h => h.Value.Trim()))).Append('\n');
        }

        builder.Append(resourcePath);
        var separator = '?';
        foreach (var name in SubResources)
        {
            if (query.TryGetValue(name, out var value))
            {
                builder.Append(separator).Append(name);
                if (value.Length > 0)
                {
                    builder.Append('=').Append(value);
                }

                separator = '&';
            }
        }

        return builder.ToString();
    }

    public static bool Verify(string secretAccessKey, string stringToSign, string signature)
    {
        // SHA-1 is what signature version 2 is defined with; the verifier cannot choose another.
#pragma warning disable CA5350
        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretAccessKey), Encoding.UTF8.GetBytes(stringToSign));
#pragma warning restore CA5350
        Span<byte> provided = stackalloc byte[32];
        return Convert.TryFromBase64String(signature, provided, out var written) && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, provided[..written]);
    }
}
