using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloudkeep.Testing;

/// <summary>
/// A request built byte by byte, as a hostile client would send it, then signed with SigV4 so it
/// reaches the steps after authentication. Query names and values, the path and the body are raw
/// bytes (invalid UTF-8 allowed); the wire form and the canonical form are the same percent-encoding.
/// </summary>
public sealed class RawRequest
{
    public required string Method { get; init; }

    /// <summary>The path's segments as raw bytes ("/" is added between them).</summary>
    public IReadOnlyList<byte[]> PathSegments { get; init; } = [];

    public List<(byte[] Name, byte[] Value)> Query { get; } = [];

    public List<(string Name, byte[] Value)> Headers { get; } = [];

    public byte[] Body { get; set; } = [];

    public string? ContentType { get; set; }

    public string EncodedPath => "/" + string.Join("/", PathSegments.Select(s => Encode(s)));

    public string EncodedQuery =>
        string.Join("&", Query.Select(p => (Name: Encode(p.Name), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>RFC 3986 percent-encoding of bytes, unreserved characters kept: the form SigV4 signs.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The signed message: Authorization over every header set here, the payload hashed.</summary>
    public HttpRequestMessage ToSignedMessage(Uri endpoint, string service, string region, string accessKeyId, string secretAccessKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var query = EncodedQuery;
        // The path goes out exactly as built: no dot-segment removal, no "//" read as an authority.
        var uri = new Uri(
            endpoint.GetLeftPart(UriPartial.Authority) + EncodedPath + (query.Length > 0 ? "?" + query : ""),
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(new HttpMethod(Method), uri);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(Body));
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var signed = new SortedDictionary<string, List<string>>(StringComparer.Ordinal)
        {
            ["host"] = [host],
            ["x-amz-date"] = [amzDate],
        };
        if (service == "s3")
        {
            signed["x-amz-content-sha256"] = [payloadHash];
        }

        if (ContentType is not null)
        {
            signed["content-type"] = [ContentType];
        }

        foreach (var (name, value) in Headers)
        {
            var lower = name.ToLowerInvariant();
            if (!signed.TryGetValue(lower, out var values))
            {
                signed[lower] = values = [];
            }

            values.Add(Encoding.UTF8.GetString(value));
        }

        var canonicalHeaders = string.Concat(signed.Select(h => h.Key + ":" + string.Join(",", h.Value.Select(Trim)) + "\n"));
        var signedHeaders = string.Join(";", signed.Keys);
        var canonical = string.Join("\n", Method, EncodedPath, query, canonicalHeaders, signedHeaders, payloadHash);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, toSign));

        message.Headers.Host = host;
        message.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (service == "s3")
        {
            message.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        }

        message.Content = new ByteArrayContent(Body);
        if (ContentType is not null)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        foreach (var (name, value) in Headers)
        {
            var text = Encoding.UTF8.GetString(value);
            if (!message.Headers.TryAddWithoutValidation(name, text))
            {
                message.Content.Headers.TryAddWithoutValidation(name, text);
            }
        }

        message.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return message;
    }

    /// <summary>
    /// A client for raw requests. Header values go out as ISO-8859-1, as Python's http.client (under
    /// botocore) and Kestrel's reading of them have it, and are signed as the UTF-8 of that text.
    /// </summary>
    public static HttpClient NewClient() =>
        new(new SocketsHttpHandler
        {
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static string Trim(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
