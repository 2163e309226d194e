using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3;

/// <summary>
/// SSE-C: the key a request carries (x-amz-server-side-encryption-customer-algorithm, -key, -key-MD5,
/// or the x-amz-copy-source-... trio for a copy's source), checked as S3 checks it, and what is
/// kept of it. S3 "does not store the encryption key that you provide. Instead, it stores a randomly
/// salted HMAC value of the encryption key to validate future requests" (UG, "Using SSE-C").
/// Cloudkeep keeps exactly that: a random 16-byte salt and HKDF-Extract(salt, key), which is
/// HMAC-SHA256 keyed by the salt over the key. From the same extract it expands (HKDF-Expand) two
/// independent values: a check value, stored, and a wrapping key, never stored, under which the
/// object's random data keys are sealed (<see cref="ChunkedAesGcm"/>). The key's plain MD5 is not
/// kept: it is unsalted (equal keys would be linkable across objects) and fast to test guesses
/// against; the response echoes the MD5 the request sent, as S3 does.
/// </summary>
internal sealed class CustomerKey
{
    public const string Algorithm = "AES256";
    private const int SaltSize = 16;

    private readonly byte[] _key;

    private CustomerKey(byte[] key, string md5)
    {
        _key = key;
        KeyMd5 = md5;
    }

    /// <summary>The base64 MD5 of the key, echoed in x-amz-server-side-encryption-customer-key-MD5.</summary>
    public string KeyMd5 { get; }

    /// <summary>Whether a request carries any of the three SSE-C headers (of its own object, or of a copy's source).</summary>
    public static bool IsPresent(JsonObject input, bool copySource)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prefix = copySource ? "CopySource" : "";
        return S3Input.String(input, prefix + "SSECustomerAlgorithm") is not null || S3Input.String(input, prefix + "SSECustomerKey") is not null
            || S3Input.String(input, prefix + "SSECustomerKeyMD5") is not null;
    }

    /// <summary>
    /// The key a request carries, or null when it carries none of the three headers. Refusals are
    /// S3's, in its order (recorded against AWS by LocalStack, 2026-02-21): an algorithm other than
    /// AES256; a key or MD5 without an algorithm; an algorithm without a key; an MD5 that does not
    /// match the key (checked before the key's length, as AWS answers 24-byte keys with it); a key
    /// that is not 256 bits (on a write: a read with such a key is simply the wrong key, 403).
    /// </summary>
    public static CustomerKey? From(JsonObject input, bool copySource, bool forRead = false)
    {
        var prefix = copySource ? "CopySource" : "";
        var algorithm = S3Input.String(input, prefix + "SSECustomerAlgorithm");
        var keyText = S3Input.String(input, prefix + "SSECustomerKey");
        var md5Text = S3Input.String(input, prefix + "SSECustomerKeyMD5");
        if (algorithm is null && keyText is null && md5Text is null)
        {
            return null;
        }

        var header = copySource ? "x-amz-copy-source-server-side-encryption-customer-algorithm" : "x-amz-server-side-encryption";
        if (algorithm is null)
        {
            throw Invalid("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.", header, "null");
        }

        if (algorithm != Algorithm)
        {
            throw new AwsException(S3Errors.InvalidEncryptionAlgorithm, S3Errors.InvalidEncryptionAlgorithm.DefaultMessage)
            {
                Fields = [new("ArgumentName", header), new("ArgumentValue", algorithm)],
            };
        }

        if (keyText is null || !TryBase64(keyText, out var key))
        {
            throw Invalid("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.", header, "null");
        }

#pragma warning disable CA5351 // S3 defines the key's integrity check as its MD5.
        var md5 = Convert.ToBase64String(MD5.HashData(key));
#pragma warning restore CA5351

        // Clients always send the MD5 (botocore and the SDKs compute it); one that leaves it out has
        // nothing to compare, and the key's length is still checked below.
        if (md5Text is not null && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(md5Text), Encoding.ASCII.GetBytes(md5)))
        {
            CryptographicOperations.ZeroMemory(key);
            throw Invalid("The calculated MD5 hash of the key did not match the hash that was provided.", header, "null");
        }

        if (key.Length != SecretBox.KeySize && !forRead)
        {
            CryptographicOperations.ZeroMemory(key);
            throw Invalid("The secret key was invalid for the specified algorithm.", header, "null");
        }

        return new CustomerKey(key, md5);
    }

    /// <summary>
    /// "You must use HTTPS when specifying SSE-C headers on your requests. Amazon S3 rejects any
    /// requests made over HTTP when using SSE-C" (UG, "Using SSE-C"). The reason AWS gives is the key
    /// crossing the network in the clear; a request from this machine's own loopback never does, so
    /// Cloudkeep's local listener (http://127.0.0.1:4566, where local tools and tests talk to it)
    /// accepts SSE-C, and any other plain-HTTP request is refused. AWS's exact answer is not
    /// recorded; this is the one S3-compatible servers give (MinIO, IONOS): 400 InvalidRequest.
    /// </summary>
    public static void RequireSecureTransport(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.SecureTransport && !(IPAddress.TryParse(request.SourceIp, out var address) && IPAddress.IsLoopback(address)))
        {
            throw S3Errors.InvalidRequest.ToException("Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
        }
    }

    /// <summary>What a new object (or upload) keeps: a fresh salt and the check value; and the wrapping key for its data keys.</summary>
    public (JsonObject Stored, SecretBox WrappingKey) Seal()
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var (check, wrapping) = Derive(salt);
        var stored = new JsonObject { ["Salt"] = Convert.ToBase64String(salt), ["Check"] = Convert.ToBase64String(check) };
        return (stored, wrapping);
    }

    /// <summary>The wrapping key, when this key is the one <paramref name="stored"/> was made with; null otherwise (compared in constant time).</summary>
    public SecretBox? Open(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (S3Input.String(stored, "Salt") is not { } saltText || S3Input.String(stored, "Check") is not { } checkText)
        {
            return null;
        }

        var (check, wrapping) = Derive(Convert.FromBase64String(saltText));
        return CryptographicOperations.FixedTimeEquals(check, Convert.FromBase64String(checkText)) ? wrapping : null;
    }

    private (byte[] Check, SecretBox Wrapping) Derive(byte[] salt)
    {
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, _key, salt);
        var wrappingKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, SecretBox.KeySize, "cloudkeep sse-c wrapping key"u8.ToArray());
        try
        {
            var check = HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, "cloudkeep sse-c key check"u8.ToArray());
            return (check, new SecretBox(wrappingKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            CryptographicOperations.ZeroMemory(buffer);
            return true;
        }

        bytes = [];
        return false;
    }

    private static AwsException Invalid(string message, string argumentName, string argumentValue) =>
        new(S3Errors.InvalidArgument, message) { Fields = [new("ArgumentName", argumentName), new("ArgumentValue", argumentValue)] };
}
