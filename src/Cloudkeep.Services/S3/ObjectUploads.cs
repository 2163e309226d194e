using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Streams a request body into a new blob while computing its MD5 (the blob store does) and the
/// checksums the client declared, then checks Content-MD5 and each checksum (from a header or an
/// aws-chunked trailer). On any mismatch the blob is deleted before the error is thrown, so a bad
/// upload never becomes visible. With a <see cref="Sealing"/> (any server-side encryption) the bytes are stored in the
/// <see cref="ChunkedAesGcm"/> form; the length, MD5 and checksums stay the plaintext's, and so does the
/// ETag except under SSE-KMS and SSE-C (<see cref="Sealing.HidesMd5"/>).
/// </summary>
internal static class ObjectUploads
{
    /// <summary>The largest single PUT S3 accepts (5 GiB); larger objects need multipart upload.</summary>
    public const long MaxSinglePutBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>
    /// Objects up to this size are kept in their metadata row: one transaction makes them durable
    /// and visible together, instead of a file write, an fsync and a rename before the row.
    /// </summary>
    public const int InlineThreshold = 64 * 1024;

    /// <summary>What aws-chunked framing may add to a small body's Content-Length (chunk headers, signatures, trailers).</summary>
    private const int InlineSlack = 8 * 1024;

    /// <summary>The bytes received: in a blob, or in memory for a small object kept inline.</summary>
    public sealed record Uploaded(BlobWriteResult? Blob, byte[]? Inline, long Length, byte[] Md5, Dictionary<string, string> Checksums)
    {
        public string ETag => "\"" + (OpaqueTag ?? Convert.ToHexStringLower(Md5)) + "\"";

        /// <summary>The ETag's value when it must not be the MD5 of the bytes (SSE-KMS, SSE-C): random, of an MD5's shape.</summary>
        public string? OpaqueTag { get; init; }

        public string BlobList => Blob is null ? "" : S3BlobList.Format([(Blob.Id.ToString(), Length)]);

        public Task DiscardAsync(S3Context s3) => Blob is null ? Task.CompletedTask : s3.DiscardBlobAsync(Blob.Id);

        public static Uploaded FromBlob(BlobWriteResult blob, Dictionary<string, string> checksums) => new(blob, null, blob.Length, blob.Md5, checksums);
    }

    /// <summary>
    /// How stored bytes are sealed: the wrapping key of their data keys and what they are bound to (the
    /// object's bucket and key). <paramref name="HidesMd5"/>: "Objects created by the PUT Object, POST
    /// Object, or Copy operation ... that are encrypted by SSE-C or SSE-KMS, have ETags that are not an
    /// MD5 digest of their object data" (S3 API reference, Common Response Headers). For SSE-C this
    /// matters: an MD5 in every listing would let anyone allowed to list confirm a guess of the
    /// plaintext the customer's key protects.
    /// </summary>
    public sealed record Sealing(SecretBox WrappingKey, string Context, bool HidesMd5 = false);

    public static async Task<Uploaded> WriteAsync(S3Context s3, string region, OperationRequest request, long maxBytes, Sealing? sealing, CancellationToken cancellationToken, bool allowInline = false)
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
        Uploaded uploaded;
        // An aws-chunked body's Content-Length counts its chunk framing too, so a body that may be
        // small is read up to the threshold first, and continues into a blob if it is not.
        if (allowInline && S3Input.Integer(input, "ContentLength") is { } length && length <= InlineThreshold + InlineSlack)
        {
            var bytes = await ReadPrefixAsync(hashing, InlineThreshold + 1, cancellationToken);
            if (bytes.Length <= InlineThreshold)
            {
                uploaded = Inline(bytes, sealing);
            }
            else
            {
                uploaded = await StoreAsync(s3, region, new PrefixedStream(bytes, hashing), sealing, cancellationToken);
            }
        }
        else
        {
            uploaded = await StoreAsync(s3, region, hashing, sealing, cancellationToken);
        }

        try
        {
            if (uploaded.Length > maxBytes)
            {
                throw S3Errors.EntityTooLarge.ToException();
            }

            if (expectedMd5 is not null && !CryptographicOperations.FixedTimeEquals(expectedMd5, uploaded.Md5))
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

            return uploaded with { Checksums = stored, OpaqueTag = Opaque(sealing) };
        }
        catch
        {
            await uploaded.DiscardAsync(s3);
            throw;
        }
    }

    /// <summary>A small object's bytes as kept in its row: sealed when a sealing is given, with the MD5 S3 makes a simple upload's ETag.</summary>
    public static Uploaded Inline(byte[] plaintext, Sealing? sealing)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
#pragma warning disable CA5351 // S3 defines the ETag of a simple upload as the MD5 of its bytes.
        var md5 = MD5.HashData(plaintext);
#pragma warning restore CA5351
        var stored = sealing is null ? plaintext : ChunkedAesGcm.EncryptBytes(sealing.WrappingKey, sealing.Context, plaintext);
        return new Uploaded(null, stored, plaintext.Length, md5, []) { OpaqueTag = Opaque(sealing) };
    }

    /// <summary>Bytes made by the server itself (log objects): kept inline when small, else in a blob.</summary>
    public static async Task<Uploaded> StoreBytesAsync(S3Context s3, string region, byte[] plaintext, Sealing? sealing, CancellationToken cancellationToken) =>
        plaintext.Length <= InlineThreshold
            ? Inline(plaintext, sealing)
            : await StoreAsync(s3, region, new MemoryStream(plaintext, writable: false), sealing, cancellationToken);

    /// <summary>Streams plaintext into a new blob, encrypted when a context is given (PUT, copies, parts).</summary>
    public static async Task<Uploaded> StoreAsync(S3Context s3, string region, Stream plaintext, Sealing? sealing, CancellationToken cancellationToken)
    {
        if (sealing is null)
        {
            return Uploaded.FromBlob(await s3.Blobs.WriteAsync(region, plaintext, cancellationToken), []);
        }

        using var encrypting = ChunkedAesGcm.Encrypt(sealing.WrappingKey, sealing.Context, plaintext);
        var blob = await s3.Blobs.WriteAsync(region, encrypting, cancellationToken);
        return new Uploaded(blob, null, encrypting.PlaintextLength, encrypting.PlaintextMd5, []) { OpaqueTag = Opaque(sealing) };
    }

    private static string? Opaque(Sealing? sealing) =>
        sealing is { HidesMd5: true } ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null;

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes of a body (fewer when it ends first) into an array of
    /// exactly that many: the reading buffer is rented, since a new 64 KiB array for each small PUT was
    /// cleared by the runtime only to be copied out of.
    /// </summary>
    private static async Task<byte[]> ReadPrefixAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(limit);
        var filled = 0;
        try
        {
            int read;
            while (filled < limit && (read = await body.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            // The body is the customer's plaintext: the next renter must not find it.
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, filled));
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
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

    /// <summary>The output members for stored checksums (ChecksumCRC32, ...), and for an object's, their ChecksumType.</summary>
    public static void WriteChecksums(JsonObject output, JsonObject? checksums, bool withType = false)
    {
        if (checksums is null || checksums.Count == 0)
        {
            return;
        }

        foreach (var (name, value) in checksums)
        {
            output[S3Checksums.Member(name)] = value?.DeepClone();
        }

        if (withType)
        {
            output["ChecksumType"] = S3Checksums.TypeOf(checksums);
        }
    }

    /// <summary>x-amz-tagging, which the decode step read into a TagSet.</summary>
    public static JsonArray? TagsFromHeader(JsonObject input, int max = 10)
    {
        if (input["Tagging"] is not JsonArray header)
        {
            return null;
        }

        var tags = (JsonArray)header.DeepClone();
        S3Tags.Validate(tags, max);
        return tags;
    }

    /// <summary>
    /// Writes an object the server itself makes (access logs, CloudTrail files) as S3 stores a PUT:
    /// SSE-S3 whatever the bucket's default, the bucket's versioning, replication queued; the metadata
    /// document given (content type, user metadata).
    /// </summary>
    public static async Task PutServiceObjectAsync(S3Context s3, BucketState bucket, string key, byte[] bytes, System.Text.Json.Nodes.JsonObject metaDocument, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(bytes);
        var encryption = ObjectEncryption.SseS3(s3);
        var sealing = encryption.SealingFor(bucket.Name, key);
        var meta = new ObjectMeta(metaDocument);
        encryption.Mark(meta);
        var versioning = bucket.Config.Versioning;
        var stored = await StoreBytesAsync(s3, bucket.Region, bytes, sealing, cancellationToken);
        var record = Replication.ObjectReplication.Queue(
            bucket,
            new Storage.Metadata.S3ObjectRecord(bucket.Name, key, stored.BlobList, bytes.Length, stored.ETag, now, bucket.AccountId, meta.ToJson(), stored.Inline, ObjectVersions.ForWrite(versioning)),
            meta);
        try
        {
            await s3.DeleteObjectBlobsAsync(await s3.Repository.PutObjectAsync(record, versioning, cancellationToken));
        }
        catch
        {
            await stored.DiscardAsync(s3);
            throw;
        }

        s3.ReplicationQueued(record);
    }
}
