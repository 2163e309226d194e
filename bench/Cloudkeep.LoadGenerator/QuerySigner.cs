using System.Globalization;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.LoadGenerator;

/// <summary>Credentials a worker signs with: a long-term key, or a role session's key and token.</summary>
internal sealed record Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);

/// <summary>
/// Signs query-protocol POSTs (form body) with SigV4 the way the AWS CLI does, reusing the project's
/// own canonical-request and string-to-sign code so the client and the server cannot disagree on
/// the algorithm. The signing key is derived once per day, as SDKs cache it; everything else
/// (X-Amz-Date, payload hash, canonical request, signature) is computed per request.
/// </summary>
internal sealed class QuerySigner(Credentials credentials, string region, string service)
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private static readonly string[] SignedHeaders = ["content-type", "host", "x-amz-date"];
    private static readonly string[] SignedHeadersWithToken = ["content-type", "host", "x-amz-date", "x-amz-security-token"];

    private readonly Lock _keyLock = new();
    private (string Date, byte[] Key) _key = ("", []);

    public Credentials Credentials => credentials;

    /// <summary>The headers to send (besides Content-Type and Host, which the request carries itself).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sign(string host, string body, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var headers = new List<KeyValuePair<string, string>>(5)
        {
            new("content-type", ContentType),
            new("host", host),
            new("x-amz-date", amzDate),
        };
        if (credentials.SessionToken is { } token)
        {
            headers.Add(new("x-amz-security-token", token));
        }

        var signed = credentials.SessionToken is null ? SignedHeaders : SignedHeadersWithToken;
        var request = new SimpleSignableRequest("POST", "/", "", headers);
        var canonical = CanonicalRequest.Build(request, signed, SigV4Verifier.HexSha256(body), s3Style: false, excludeSignatureParameter: false);
        var scope = $"{date}/{region}/{service}/aws4_request";
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
                _key = (date, SigningKeyCache.Derive(credentials.SecretAccessKey, date, region, service));
            }

            return _key.Key;
        }
    }
}
