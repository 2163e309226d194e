using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// A minimal path-style S3 client (http://host:port/bucket/key) over a shared HttpClient: builds
/// freshly signed requests; the caller sends them, so the load runner times only the round trip.
/// </summary>
internal sealed class S3Client(Uri endpoint, S3Signer signer, TimeProvider time)
{
    private readonly string _host = endpoint.Authority;
    private readonly string _origin = endpoint.GetLeftPart(UriPartial.Authority);

    public static string PathOf(string bucket, string? key) =>
        "/" + bucket + (key is null ? "" : "/" + AwsUriEncoding.Encode(key, keepSlash: true));

    public HttpRequestMessage Build(HttpMethod method, string bucket, string? key, string rawQuery = "", HttpContent? content = null)
    {
        var path = PathOf(bucket, key);
        var request = new HttpRequestMessage(method, new Uri(_origin + path + (rawQuery.Length > 0 ? "?" + rawQuery : "")))
        {
            Content = content,
        };
        foreach (var (name, value) in signer.Sign(method.Method, _host, path, rawQuery, time.GetUtcNow()))
        {
            if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>The query of one ListObjectsV2 page.</summary>
    public static string ListQuery(string prefix, int maxKeys, string? continuationToken) =>
        (continuationToken is null ? "" : "continuation-token=" + AwsUriEncoding.Encode(continuationToken) + "&")
        + $"list-type=2&max-keys={maxKeys}&prefix={AwsUriEncoding.Encode(prefix)}";

    /// <summary>Creates the bucket; one the caller already owns (a second run against the same peer) is fine.</summary>
    public async Task CreateBucketAsync(HttpClient http, string bucket, CancellationToken cancellationToken)
    {
        using var request = Build(HttpMethod.Put, bucket, key: null);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode && !text.Contains("BucketAlreadyOwnedByYou", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"CreateBucket {bucket}: HTTP {(int)response.StatusCode}: {text}");
        }
    }

    public async Task PutAsync(HttpClient http, string bucket, string key, byte[] body, CancellationToken cancellationToken)
    {
        using var request = Build(HttpMethod.Put, bucket, key, content: new ByteArrayContent(body));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PutObject {key}: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>PUT of a bucket configuration document (?versioning, ?lifecycle, ...) with the Content-MD5 S3 asks for.</summary>
    public async Task PutConfigurationAsync(HttpClient http, string bucket, string subresource, string xml, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        var content = new ByteArrayContent(bytes);
#pragma warning disable CA5351 // Content-MD5 is what S3 asks for here.
        content.Headers.ContentMD5 = System.Security.Cryptography.MD5.HashData(bytes);
#pragma warning restore CA5351
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        using var request = Build(HttpMethod.Put, bucket, key: null, subresource + "=", content);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT ?{subresource} on {bucket}: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Every key under the prefix, counted page by page.</summary>
    public async Task<long> CountAsync(HttpClient http, string bucket, string prefix, CancellationToken cancellationToken)
    {
        long count = 0;
        string? token = null;
        ListPage page;
        do
        {
            page = await ListPageAsync(http, bucket, prefix, 1000, token, cancellationToken);
            count += page.Keys;
            token = page.NextContinuationToken;
        }
        while (page.IsTruncated);
        return count;
    }

    public async Task<ListPage> ListPageAsync(HttpClient http, string bucket, string prefix, int maxKeys, string? continuationToken, CancellationToken cancellationToken)
    {
        using var request = Build(HttpMethod.Get, bucket, key: null, ListQuery(prefix, maxKeys, continuationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? ListPage.Parse(text)
            : throw new InvalidOperationException($"ListObjectsV2: HTTP {(int)response.StatusCode}: {text}");
    }
}
