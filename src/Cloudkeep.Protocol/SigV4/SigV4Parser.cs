using System.Globalization;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Reads the SigV4 fields of a request, header or presigned form, and rejects malformed ones with
/// the error AWS gives (IncompleteSignature for the query and JSON services; S3 has its own codes).
/// </summary>
public static class SigV4Parser
{
    public const int MaxAuthorizationHeaderLength = 8 * 1024;

    public static bool HasHeaderAuthentication(ISignableRequest request) =>
        request.TryGetHeader("authorization", out _);

    public static bool HasQueryAuthentication(ISignableRequest request) =>
        request.RawQuery.Contains("X-Amz-Algorithm=", StringComparison.Ordinal)
        || request.RawQuery.Contains("X-Amz-Signature=", StringComparison.Ordinal)
        || request.RawQuery.Contains("X-Amz-Credential=", StringComparison.Ordinal);

    public static SigV4Signature ParseHeader(ISignableRequest request, bool s3)
    {
        request.TryGetHeader("authorization", out var header);
        header = header.Trim();
        if (header.Length > MaxAuthorizationHeaderLength)
        {
            throw Malformed(s3, "The Authorization header is too long.");
        }

        if (!header.StartsWith(SigV4Constants.Algorithm + " ", StringComparison.Ordinal))
        {
            if (s3 && header.StartsWith("AWS ", StringComparison.Ordinal))
            {
                throw S3AuthErrors.InvalidRequest.ToException("Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256.");
            }

            throw s3
                ? S3AuthErrors.InvalidArgument.ToException("Unsupported Authorization Type")
                : CommonErrors.IncompleteSignature.ToException($"Unsupported AWS 'algorithm': '{FirstWord(header)}'.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        var rest = header.AsSpan(SigV4Constants.Algorithm.Length + 1);
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var part = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw Malformed(s3, $"Authorization header requires each component to be of the form key=value: '{part}'.");
            }

            var key = part[..equals];
            var value = part[(equals + 1)..];
            if (key.SequenceEqual("Credential"))
            {
                credential = value.ToString();
            }
            else if (key.SequenceEqual("SignedHeaders"))
            {
                signedHeaders = value.ToString();
            }
            else if (key.SequenceEqual("Signature"))
            {
                signature = value.ToString();
            }
        }

        var missing = new List<string>();
        if (credential is null)
        {
            missing.Add("Authorization header requires 'Credential' parameter.");
        }

        if (signature is null)
        {
            missing.Add("Authorization header requires 'Signature' parameter.");
        }

        if (signedHeaders is null)
        {
            missing.Add("Authorization header requires 'SignedHeaders' parameter.");
        }

        var hasDate = request.TryGetHeader("x-amz-date", out var amzDate) || request.TryGetHeader("date", out amzDate);
        if (!hasDate)
        {
            missing.Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (missing.Count > 0)
        {
            throw Malformed(s3, string.Join(' ', missing));
        }

        var scope = ParseCredential(credential!, s3);
        var time = ParseRequestTime(amzDate, s3);
        CheckScopeDate(scope, time, s3);
        request.TryGetHeader("x-amz-security-token", out var token);
        request.TryGetHeader("x-amz-content-sha256", out var payloadHash);
        return new SigV4Signature(
            Presigned: false,
            scope,
            ParseSignedHeaders(signedHeaders!, s3),
            ParseSignatureHex(signature!, s3),
            amzDate.Length == 16 ? amzDate : time.ToString(SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture),
            time,
            ExpiresSeconds: null,
            string.IsNullOrEmpty(token) ? null : token,
            payloadHash);
    }

    public static SigV4Signature ParsePresigned(ISignableRequest request, bool s3)
    {
        var query = request.Query;
        string? Get(string name) => query.TryGetValue(name, out var v) ? v : null;
        var algorithm = Get("X-Amz-Algorithm");
        var credential = Get("X-Amz-Credential");
        var signature = Get("X-Amz-Signature");
        var amzDate = Get("X-Amz-Date");
        var signedHeaders = Get("X-Amz-SignedHeaders");
        var expires = Get("X-Amz-Expires");
        if (algorithm is null || credential is null || signature is null || amzDate is null || signedHeaders is null || (s3 && expires is null))
        {
            throw s3
                ? S3AuthErrors.AuthorizationQueryParametersError.ToException()
                : CommonErrors.IncompleteSignature.ToException("Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date and X-Amz-SignedHeaders parameters.");
        }

        if (algorithm != SigV4Constants.Algorithm)
        {
            throw s3
                ? S3AuthErrors.AuthorizationQueryParametersError.ToException("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
                : CommonErrors.IncompleteSignature.ToException($"Unsupported AWS 'algorithm': '{algorithm}'.");
        }

        int? expiresSeconds = null;
        if (expires is not null)
        {
            if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                throw s3
                    ? S3AuthErrors.AuthorizationQueryParametersError.ToException("X-Amz-Expires should be a number")
                    : CommonErrors.IncompleteSignature.ToException("X-Amz-Expires should be a number.");
            }

            if (seconds > SigV4Constants.MaxPresignedExpirySeconds)
            {
                throw s3
                    ? S3AuthErrors.AuthorizationQueryParametersError.ToException("X-Amz-Expires must be less than a week (in seconds) that is 604800")
                    : CommonErrors.IncompleteSignature.ToException("X-Amz-Expires must be less than a week (in seconds) that is 604800.");
            }

            expiresSeconds = seconds;
        }

        var scope = ParseCredential(credential, s3);
        var time = ParseRequestTime(amzDate, s3);
        CheckScopeDate(scope, time, s3);
        var token = Get("X-Amz-Security-Token");

        // Presigned requests carry no body hash in their signature unless the client chose to sign one.
        var payloadHash = request.TryGetHeader("x-amz-content-sha256", out var declared) ? declared : SigV4Constants.UnsignedPayload;
        return new SigV4Signature(
            Presigned: true,
            scope,
            ParseSignedHeaders(signedHeaders, s3),
            ParseSignatureHex(signature, s3),
            amzDate,
            time,
            expiresSeconds,
            string.IsNullOrEmpty(token) ? null : token,
            payloadHash);
    }

    private static CredentialScope ParseCredential(string credential, bool s3)
    {
        if (!CredentialScope.TryParse(credential, out var scope, out var problem))
        {
            throw Malformed(s3, problem);
        }

        return scope;
    }

    private static string[] ParseSignedHeaders(string value, bool s3)
    {
        var names = value.Split(';');
        foreach (var name in names)
        {
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(HeaderNameCharacters))
            {
                throw Malformed(s3, $"SignedHeaders is malformed: '{value}'.");
            }
        }

        return names;
    }

    private static readonly System.Buffers.SearchValues<char> HeaderNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.!#$%&'*+^`|~");

    private static string ParseSignatureHex(string signature, bool s3)
    {
        if (signature.Length != 64 || signature.AsSpan().ContainsAnyExcept(HexCharacters))
        {
            // A signature of the wrong form can never match; AWS answers it as a mismatch.
            throw CommonErrors.SignatureDoesNotMatch.ToException();
        }

        return signature.AsSpan().ContainsAny(UpperHexCharacters) ? signature.ToLowerInvariant() : signature;
    }

    private static readonly System.Buffers.SearchValues<char> HexCharacters = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> UpperHexCharacters = System.Buffers.SearchValues.Create("ABCDEF");

    /// <summary>X-Amz-Date is ISO 8601 basic (20150830T123600Z); the Date header is RFC 1123.</summary>
    internal static DateTimeOffset ParseRequestTime(string value, bool s3)
    {
        if (TryParseAmzDate(value, out var fast))
        {
            return fast;
        }

        if (DateTimeOffset.TryParseExact(value, SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            || DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return time;
        }

        throw s3
            ? CommonErrors.AccessDenied.ToException("AWS authentication requires a valid Date or x-amz-date header")
            : CommonErrors.IncompleteSignature.ToException($"Date must be in ISO-8601 'basic format'. Got '{Truncate(value)}'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    /// <summary>yyyyMMddTHHmmssZ by hand: the general parser costs more than the rest of the header.</summary>
    private static bool TryParseAmzDate(string value, out DateTimeOffset time)
    {
        time = default;
        if (value.Length != 16 || value[8] != 'T' || value[15] != 'Z')
        {
            return false;
        }

        static int Digits(string text, int start, int count)
        {
            var result = 0;
            for (var i = start; i < start + count; i++)
            {
                var digit = text[i] - '0';
                if ((uint)digit > 9)
                {
                    return -1;
                }

                result = (result * 10) + digit;
            }

            return result;
        }

        int year = Digits(value, 0, 4), month = Digits(value, 4, 2), day = Digits(value, 6, 2);
        int hour = Digits(value, 9, 2), minute = Digits(value, 11, 2), second = Digits(value, 13, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static void CheckScopeDate(CredentialScope scope, DateTimeOffset time, bool s3)
    {
        Span<char> date = stackalloc char[8];
        var ok = time.UtcDateTime.TryFormat(date, out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        if (!ok || !scope.Date.AsSpan().SequenceEqual(date))
        {
            throw s3
                ? S3AuthErrors.AuthorizationHeaderMalformed.ToException("The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.")
                : CommonErrors.SignatureDoesNotMatch.ToException("Credential should be scoped to a valid date.");
        }
    }

    private static AwsException Malformed(bool s3, string message) =>
        s3 ? S3AuthErrors.AuthorizationHeaderMalformed.ToException("The authorization header is malformed; " + message)
           : CommonErrors.IncompleteSignature.ToException(message);

    private static string FirstWord(string header)
    {
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        return Truncate(space < 0 ? header : header[..space]);
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
