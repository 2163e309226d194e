using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Blobs;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Streams a request body into a new blob while computing its MD5 (the blob store does) and the
/// checksums the client declared, then checks Content-MD5 and each checksum (from a header or an
/// aws-chunked trailer). On any mismatch the blob is deleted before the error is thrown, so a bad
/// upload never becomes visible.
/// </summary>
internal static class ObjectUploads
{
    /// <summary>The largest single PUT S3 accepts (5 GiB); larger objects need multipart upload.</summary>
    public const long MaxSinglePutBytes = 5L * 1024 * 1024 * 1024;

    public sealed record Uploaded(BlobWriteResult Blob, Dictionary<string, string> Checksums)
    {
        public string ETag => "\"" + Convert.ToHexStringLower(Blob.Md5) + "\"";
    }

    public static async Task<Uploaded> WriteAsync(S3Context s3, string region, OperationRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var expectedMd5 = ContentMd5(input);
        if (S3Input.Integer(input, "ContentLength") is { } declared && declared > maxBytes)
        {
            throw S3Errors.EntityTooLarge.ToException();
        }

        var algorithms = S3Checksums.Algorithms.Where(a => S3Input.String(input, S3Checksums.Member(a)) is not null).ToList();
        if (S3Input.String(input, "ChecksumAlgorithm") is { } algorithm)
        {
            if (!S3Checksums.Algorithms.Contains(algorithm))
            {
                throw S3Errors.InvalidRequest.ToException($"Checksum algorithm {algorithm} is not supported.");
            }

            algorithms.Add(algorithm);
        }

        var body = request.Body ?? Stream.Null;
        if (algorithms.Count == 0 && body is IStreamTrailers)
        {
            // A trailer names its algorithm only at the end; CRC32 is what the SDKs send by default.
            algorithms.Add("CRC32");
        }

        var hashing = new ChecksumStream(body, algorithms);
        var blob = await s3.Blobs.WriteAsync(region, hashing, cancellationToken);
        try
        {
            if (blob.Length > maxBytes)
            {
                throw S3Errors.EntityTooLarge.ToException();
            }

            if (expectedMd5 is not null && !CryptographicOperations.FixedTimeEquals(expectedMd5, blob.Md5))
            {
                throw S3Errors.BadDigest.ToException();
            }

            var computed = hashing.Results();
            var trailers = body is IStreamTrailers withTrailers ? withTrailers.Trailers : null;
            var stored = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in computed)
            {
                var expected = S3Input.String(input, S3Checksums.Member(name))
                    ?? (trailers is not null && trailers.TryGetValue(S3Checksums.Header(name), out var trailer) ? trailer : null);
                if (expected is not null && expected != value)
                {
                    throw S3Errors.BadDigest.ToException($"The {name} you specified did not match the calculated checksum.");
                }

                if (expected is not null || S3Input.String(input, "ChecksumAlgorithm") == name)
                {
                    stored[name] = value;
                }
            }

            return new Uploaded(blob, stored);
        }
        catch
        {
            s3.Blobs.Delete(blob.Id);
            throw;
        }
    }

    private static byte[]? ContentMd5(JsonObject input)
    {
        if (S3Input.String(input, "ContentMD5") is not { } text)
        {
            return null;
        }

        var bytes = new byte[16];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != 16)
        {
            throw S3Errors.InvalidDigest.ToException();
        }

        return bytes;
    }

    /// <summary>The output members for stored checksums (ChecksumCRC32, ...).</summary>
    public static void WriteChecksums(JsonObject output, JsonObject? checksums)
    {
        if (checksums is null)
        {
            return;
        }

        foreach (var (name, value) in checksums)
        {
            output[S3Checksums.Member(name)] = value?.DeepClone();
        }
    }

    /// <summary>x-amz-tagging: a URL-encoded query string of tags.</summary>
    public static JsonArray? TagsFromHeader(JsonObject input, int max = 10)
    {
        if (S3Input.String(input, "Tagging") is not { Length: > 0 } header)
        {
            return null;
        }

        var tags = new JsonArray();
        foreach (var pair in header.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            tags.Add(new JsonObject { ["Key"] = key, ["Value"] = value });
        }

        S3Tags.Validate(tags, max);
        return tags;
    }
}
