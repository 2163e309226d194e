using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// GetObject and HeadObject: the object's headers, conditional requests (RFC 7232 as S3 applies
/// them: 412 PreconditionFailed, 304 Not Modified), a byte range or a part number (206), and the
/// response-* overrides.
/// </summary>
internal static class ObjectReads
{
    private static readonly (string Parameter, string Member)[] Overrides =
    [
        ("ResponseContentType", "ContentType"), ("ResponseContentLanguage", "ContentLanguage"), ("ResponseExpires", "Expires"),
        ("ResponseCacheControl", "CacheControl"), ("ResponseContentDisposition", "ContentDisposition"), ("ResponseContentEncoding", "ContentEncoding"),
    ];

    public static async Task<OperationResult> ReadAsync(S3Context s3, OperationRequest request, bool withBody, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var bucket = await s3.RequestBucketAsync(request, cancellationToken);
        var key = S3Input.Key(input);
        var record = await s3.RequireRequestObjectAsync(request, bucket, key, withBody ? "GET" : "HEAD", cancellationToken);
        var meta = ObjectMeta.Parse(record.Meta);
        var output = new JsonObject
        {
            ["AcceptRanges"] = "bytes",
            ["LastModified"] = JsonValue.Create(record.LastModified),
            ["ETag"] = record.ETag,
        };
        ObjectVersions.WriteTo(output, bucket, record);

        // Expiration is announced for the current version; a read by version id may name an older one.
        if (S3Input.String(input, "VersionId") is null && Lifecycle.ObjectExpiry.HeaderFor(bucket, record) is { } expiration)
        {
            output["Expiration"] = expiration;
        }
        if (CheckConditions(input, record) is { } status)
        {
            output.Remove("AcceptRanges");
            return new OperationResult(output) { StatusCode = status };
        }

        // SSE-C's key is checked before anything of the object is answered; an SSE-KMS object's
        // data key is asked of KMS (as the caller: kms:Decrypt) only when there are bytes to send.
        var wrappingKey = await ObjectEncryption.ForReadAsync(s3, request, meta, record.Bucket, record.Key, ObjectEncryption.ReadFor.Object, cancellationToken, withKey: withBody);
        meta.WriteTo(output);
        ObjectEncryption.WriteTo(output, meta, request);
        Replication.ObjectReplication.WriteTo(output, meta);
        ObjectLock.ObjectRetention.Of(meta).WriteTo(output);
        if (meta.Tags is { Count: > 0 } tags)
        {
            output["TagCount"] = tags.Count;
        }

        var parts = meta.PartSizes;
        if (parts is not null)
        {
            output["PartsCount"] = parts.Count;
        }

        long offset = 0;
        var length = record.Size;
        var partial = false;
        if (S3Input.Integer(input, "PartNumber") is { } partNumber)
        {
            var sizes = parts ?? [record.Size];
            if (partNumber < 1 || partNumber > sizes.Count)
            {
                throw new AwsException(S3Errors.InvalidPartNumber, S3Errors.InvalidPartNumber.DefaultMessage) { Fields = [new("PartNumberRequested", partNumber.ToString(CultureInfo.InvariantCulture)), new("ActualPartCount", sizes.Count.ToString(CultureInfo.InvariantCulture))] };
            }

            offset = sizes.Take((int)partNumber - 1).Sum();
            length = sizes[(int)partNumber - 1];
            partial = parts is not null;
        }
        else if (S3Input.Object(input, "Range") is { } range)
        {
            (offset, length) = ByteRangeOf(range, record.Size);
            partial = true;
        }

        if (partial)
        {
            output["ContentRange"] = $"bytes {offset}-{offset + length - 1}/{record.Size}";
        }
        else if (S3Input.String(input, "ChecksumMode") == "ENABLED")
        {
            ObjectUploads.WriteChecksums(output, meta.Checksums, withType: true);
        }

        output["ContentLength"] = length;
        foreach (var (parameter, member) in Overrides)
        {
            if (parameter == "ResponseExpires" && S3Input.Timestamp(input, parameter) is { } expires)
            {
                output[member] = expires.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
            }
            else if (S3Input.String(input, parameter) is { } value)
            {
                output[member] = value;
            }
        }

        var body = withBody && length > 0 ? await ObjectContent.OpenAsync(s3, record, meta, wrappingKey, offset, length, cancellationToken) : null;
        if (body is not null && ObjectEncryption.IsEncrypted(meta))
        {
            body = await ReadAheadAsync(body, length, cancellationToken);
        }

        return new OperationResult(output, body ?? (withBody ? Stream.Null : null)) { StatusCode = partial ? 206 : null };
    }

    /// <summary>
    /// Decrypts the first chunk before the response starts, so stored bytes that fail their check
    /// there (all of a small object's) answer 500 InternalError rather than a 200 cut short; a later
    /// chunk that fails ends the response early, never with wrong bytes.
    /// </summary>
    private static async Task<Stream> ReadAheadAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        var first = new byte[(int)Math.Min(length, Core.Crypto.ChunkedAesGcm.ChunkSize)];
        try
        {
            await body.ReadExactlyAsync(first, cancellationToken);
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }

        return new PrefixedStream(first, body, ownsRest: true);
    }

    /// <summary>412 or 304 when a condition fails, in the precedence S3 documents; null to proceed.</summary>
    private static int? CheckConditions(JsonObject input, S3ObjectRecord record)
    {
        var ifMatch = S3Input.Array(input, "IfMatch");
        var ifNoneMatch = S3Input.Array(input, "IfNoneMatch");
        var ifModifiedSince = S3Input.Timestamp(input, "IfModifiedSince");
        var ifUnmodifiedSince = S3Input.Timestamp(input, "IfUnmodifiedSince");
        var lastModified = TruncateToSeconds(record.LastModified);
        if (ifMatch is not null)
        {
            if (!ETagMatches(ifMatch, record.ETag))
            {
                throw S3Errors.PreconditionFailed.ToException();
            }
        }
        else if (ifUnmodifiedSince is { } unmodified && lastModified > unmodified)
        {
            throw S3Errors.PreconditionFailed.ToException();
        }

        if (ifNoneMatch is not null)
        {
            if (ETagMatches(ifNoneMatch, record.ETag))
            {
                return 304;
            }
        }
        else if (ifModifiedSince is { } modified && lastModified <= modified)
        {
            return 304;
        }

        return null;
    }

    /// <summary>Whether an entity-tag list the decode step read (quoted tags or "*") names this ETag.</summary>
    public static bool ETagMatches(JsonArray tags, string etag) =>
        tags.Any(t => t?.GetValue<string>() is { } tag && (tag == "*" || tag == etag));

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    /// <summary>
    /// The bytes a range the decode step read (First-Last, First- or the last Last) selects, clamped
    /// to the object; InvalidRange when it selects none.
    /// </summary>
    public static (long Offset, long Length) ByteRangeOf(JsonObject range, long size)
    {
        var first = S3Input.Integer(range, "First");
        var last = S3Input.Integer(range, "Last");
        if (first is null)
        {
            var suffix = last ?? 0;
            if (suffix == 0 || size == 0)
            {
                throw Unsatisfiable(size);
            }

            var take = Math.Min(suffix, size);
            return (size - take, take);
        }

        if (first >= size)
        {
            throw Unsatisfiable(size);
        }

        var end = Math.Min(last ?? size - 1, size - 1);
        return (first.Value, end - first.Value + 1);
    }

    private static AwsException Unsatisfiable(long size) =>
        new(S3Errors.InvalidRange, S3Errors.InvalidRange.DefaultMessage)
        {
            Fields = [new("RangeRequested", "bytes"), new("ActualObjectSize", size.ToString(CultureInfo.InvariantCulture))],
        };
}
