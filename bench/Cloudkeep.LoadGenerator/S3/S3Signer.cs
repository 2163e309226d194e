using System.Globalization;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// Signs S3 REST requests with SigV4 in the Authorization header and UNSIGNED-PAYLOAD, as SDKs do
/// over plain HTTP when payload signing is off: the body is never hashed, so a 1 GiB PUT streams
/// without being read twice, and both servers get exactly the same client cost. Reuses the project's
/// canonical-request code (S3 style: path encoded once, not normalised); the signing key is derived
/// once per day.
/// </summary>
internal sealed class S3Signer(Credentials credentials, string region)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private static readonly string[] SignedHeaders = ["host", "x-amz-content-sha256", "x-amz-date"];
    private static readonly string[] SignedHeadersWithToken = ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"];

    private readonly Lock _keyLock = new();
    private (string Date, byte[] Key) _key = ("", []);

    /// <summary>
    /// The headers to send besides Host (which the request carries itself). <paramref name="rawPath"/>
    /// and <paramref name="rawQuery"/> are what goes on the wire, already percent-encoded.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sign(string method, string host, string rawPath, string rawQuery, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var headers = new List<KeyValuePair<string, string>>(5)
        {
            new("host", host),
            new("x-amz-content-sha256", UnsignedPayload),
            new("x-amz-date", amzDate),
        };
        if (credentials.SessionToken is { } token)
        {
            headers.Add(new("x-amz-security-token", token));
        }

        var signed = credentials.SessionToken is null ? SignedHeaders : SignedHeadersWithToken;
        var request = new SimpleSignableRequest(method, rawPath, rawQuery, headers);
        var canonical = CanonicalRequest.Build(request, signed, UnsignedPayload, s3Style: true, excludeSignatureParameter: false);
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = SigV4Verifier.BuildStringToSign(amzDate, scope, canonical);
        var signature = SigV4Verifier.ComputeSignature(KeyFor(date), stringToSign);
        headers.Add(new("authorization", $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}"));
        return headers;
    }

    private byte[] KeyFor(string date)
    {
        lock (_keyLock)
        {
            if (_key.Date != date)
            {
                _key = (date, SigningKeyCache.Derive(credentials.SecretAccessKey, date, region, "s3"));
            }

            return _key.Key;
        }
    }
}
