using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Recomputes a request's signature with the caller's secret and compares it in constant time.
/// Steps follow "Create a signed AWS API request" (AWS IAM User Guide): canonical request,
/// string to sign, signing key, signature.
/// </summary>
public sealed class SigV4Verifier
{
    private readonly SigningKeyCache _keys;

    public SigV4Verifier(SigningKeyCache keys)
    {
        _keys = keys;
    }

    /// <summary>
    /// Checks freshness: a header-signed request must be within 15 minutes of now; a presigned one
    /// must not be used before its signing time (less the same skew) nor after X-Amz-Expires.
    /// </summary>
    public static void CheckTime(SigV4Signature signature, DateTimeOffset now, bool s3)
    {
        if (signature.Presigned)
        {
            if (signature.ExpiresSeconds is { } seconds && now > signature.RequestTime.AddSeconds(seconds))
            {
                throw CommonErrors.AccessDenied.ToException("Request has expired");
            }

            if (signature.RequestTime - now > SigV4Constants.MaxClockSkew)
            {
                throw CommonErrors.AccessDenied.ToException("Request is not valid yet");
            }

            return;
        }

        var skew = (now - signature.RequestTime).Duration();
        if (skew > SigV4Constants.MaxClockSkew)
        {
            var message = s3
                ? "The difference between the request time and the current time is too large."
                : $"Signature expired: {signature.AmzDate} is now earlier than {now.Subtract(SigV4Constants.MaxClockSkew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} - 15 min.)";
            // The server's time, in the body as S3 gives it and in Date, from which the SDKs correct their clocks.
            throw new AwsException(CommonErrors.RequestTimeTooSkewed, message)
            {
                Fields = s3
                    ? [new("RequestTime", signature.AmzDate), new("ServerTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), new("MaxAllowedSkewMilliseconds", "900000")]
                    : [],
                Headers = [new("Date", now.UtcDateTime.ToString("R", CultureInfo.InvariantCulture))],
            };
        }
    }

    /// <summary>
    /// The outcome of a verification. On a mismatch it carries the canonical request and string to sign,
    /// which S3 echoes back; a match, the common case, never builds them as strings.
    /// </summary>
    public readonly record struct Result(bool Matches, SigningKey SigningKey, string? CanonicalRequest, string? StringToSign);

    /// <summary>Canonical-request buffers reused across requests: a request's is about 0.5-2 KB, built on every request.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<StringBuilder> _builders = [];

    public Result Verify(ISignableRequest request, SigV4Signature signature, string secretAccessKey, string payloadHash, bool s3Style)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var canonical = _builders.TryTake(out var reused) ? reused.Clear() : new StringBuilder(2048);
        try
        {
            return Verify(canonical, request, signature, secretAccessKey, payloadHash, s3Style);
        }
        finally
        {
            // A builder grown by a huge request is let go rather than kept.
            if (canonical.Capacity <= 16 * 1024 && _builders.Count < 64)
            {
                _builders.Add(canonical);
            }
        }
    }

    private Result Verify(StringBuilder canonical, ISignableRequest request, SigV4Signature signature, string secretAccessKey, string payloadHash, bool s3Style)
    {
        CanonicalRequest.AppendTo(canonical, request, signature.SignedHeaders, payloadHash, s3Style, signature.Presigned);

        // The string to sign in UTF-8: algorithm, date, scope, then the canonical request's SHA-256 in hex.
        Span<byte> canonicalHash = stackalloc byte[32];
        Sha256Utf8(canonical, canonicalHash);
        var scope = signature.Credential.Scope;
        var amzDate = signature.AmzDate;
        var maxBytes = SigV4Constants.Algorithm.Length + Encoding.UTF8.GetMaxByteCount(amzDate.Length + scope.Length) + 3 + 64;
        var stringToSign = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(SigV4Constants.Algorithm, stringToSign);
        stringToSign[length++] = (byte)'\n';
        length += Encoding.UTF8.GetBytes(amzDate, stringToSign[length..]);
        stringToSign[length++] = (byte)'\n';
        length += Encoding.UTF8.GetBytes(scope, stringToSign[length..]);
        stringToSign[length++] = (byte)'\n';
        WriteHexLower(canonicalHash, stringToSign.Slice(length, 64));
        length += 64;

        var key = _keys.Get(secretAccessKey, signature.Credential.Date, signature.Credential.Region, signature.Credential.Service);
        return MacMatches(key, stringToSign[..length], signature.Signature)
            ? new Result(true, key, null, null)
            : new Result(false, key, canonical.ToString(), Encoding.UTF8.GetString(stringToSign[..length]));
    }

    private static void Sha256Utf8(StringBuilder text, Span<byte> hash)
    {
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length);
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            text.CopyTo(0, chars, 0, text.Length);
            var length = Encoding.UTF8.GetBytes(chars, 0, text.Length, bytes, 0);
            SHA256.HashData(bytes.AsSpan(0, length), hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }
    }

    public static string BuildStringToSign(string amzDate, string scope, string canonicalRequest) =>
        string.Concat(
            SigV4Constants.Algorithm, "\n",
            amzDate, "\n",
            scope, "\n",
            HexSha256(canonicalRequest));

    /// <summary>HMAC the string to sign and compare with the claimed hex signature in constant time.</summary>
    public static bool SignatureMatches(SigningKey signingKey, string stringToSign, string claimedHexLower)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(stringToSign.Length);
        var buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(stringToSign, buffer);
        return MacMatches(signingKey, buffer[..length], claimedHexLower);
    }

    private static bool MacMatches(SigningKey signingKey, ReadOnlySpan<byte> stringToSign, string claimedHexLower)
    {
        Span<byte> mac = stackalloc byte[32];
        signingKey.Mac(stringToSign, mac);
        Span<byte> expectedHex = stackalloc byte[64];
        WriteHexLower(mac, expectedHex);
        Span<byte> claimed = stackalloc byte[64];
        if (claimedHexLower.Length != 64)
        {
            return false;
        }

        for (var i = 0; i < 64; i++)
        {
            claimed[i] = (byte)claimedHexLower[i];
        }

        return CryptographicOperations.FixedTimeEquals(expectedHex, claimed);
    }

    public static string ComputeSignature(SigningKey signingKey, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        return ComputeSignature(signingKey.Bytes, stringToSign);
    }

    public static string ComputeSignature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string HexSha256(string value)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = maxBytes <= 4096 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteHexLower(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        const string Hex = "0123456789abcdef";
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = (byte)Hex[bytes[i] >> 4];
            destination[(2 * i) + 1] = (byte)Hex[bytes[i] & 0xF];
        }
    }
}
