using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;

namespace Cloudkeep.Backup;

/// <summary>
/// A pre-signed POST for one object: the URL and the form fields a browser (or the backup task) sends
/// before the file. Built as AWS documents it for Signature Version 4
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html and
/// sigv4-post-example.html): a JSON policy with an expiration and one condition per field, base64-encoded,
/// and signed with the SigV4 signing key for the date, region and s3.
/// </summary>
public sealed record PresignedPost(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// The policy for exactly <paramref name="key"/> in <paramref name="bucket"/>, expiring <paramref name="expiresIn"/>
    /// after <paramref name="now"/>, with the canned ACL as both a field and an exact condition (the seed's
    /// <c>acl=bucket-owner-full-control</c>, so the backups account owns what the CI role writes).
    /// </summary>
    public static PresignedPost Create(ImmutableCredentials credentials, Uri bucketUrl, string bucket, string key, string? acl, string region, TimeSpan expiresIn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var credential = $"{credentials.AccessKey}/{date}/{region}/s3/aws4_request";
        var fields = new List<KeyValuePair<string, string>> { new("key", key) };
        if (acl is not null)
        {
            fields.Add(new("acl", acl));
        }

        fields.Add(new("x-amz-algorithm", Algorithm));
        fields.Add(new("x-amz-credential", credential));
        fields.Add(new("x-amz-date", amzDate));
        if (credentials.UseToken)
        {
            fields.Add(new("x-amz-security-token", credentials.Token));
        }

        // Step 1: the policy. Every field sent is named by an exact-match condition; S3 refuses a form field the
        // policy does not mention (except the signature, the policy itself and the file).
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("expiration", (now + expiresIn).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteStartArray("conditions");
            writer.WriteStartObject();
            writer.WriteString("bucket", bucket);
            writer.WriteEndObject();
            foreach (var (name, value) in fields)
            {
                writer.WriteStartObject();
                writer.WriteString(name, value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        // Step 2: the string to sign is the base64 of the policy; step 3: the signature, with the SigV4 signing key.
        var policy = Convert.ToBase64String(json.ToArray());
        var signingKey = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), date);
        signingKey = Hmac(signingKey, region);
        signingKey = Hmac(signingKey, "s3");
        signingKey = Hmac(signingKey, "aws4_request");
        fields.Add(new("policy", policy));
        fields.Add(new("x-amz-signature", Convert.ToHexStringLower(Hmac(signingKey, policy))));
        return new PresignedPost(bucketUrl, fields);
    }

    /// <summary>
    /// Where a bucket's POSTs go: ENDPOINT/BUCKET (path style) under an explicit endpoint such as a Cloudkeep
    /// server, else the bucket's virtual-hosted AWS host.
    /// </summary>
    public static Uri BucketUrl(string? endpoint, string bucket, string region) =>
        endpoint is not null
            ? new Uri(endpoint.TrimEnd('/') + "/" + Uri.EscapeDataString(bucket))
            : new Uri($"https://{bucket}.s3.{region}.amazonaws.com/");

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
