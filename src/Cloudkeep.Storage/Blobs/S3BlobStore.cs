using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Blobs as objects in a bucket of an S3-compatible store (Ceph's RADOS Gateway, MinIO, AWS S3), so every node
/// reads what any node wrote. The object key is &lt;prefix&gt;&lt;location&gt;/&lt;id&gt;: the blob's random id, never
/// anything a user chose. A write is one PUT up to <see cref="PartSize"/> bytes, else a multipart upload of parts of
/// that size (the next parts read from the request while earlier ones upload, so memory stays at four parts per
/// write whatever the size); either way the object exists in the backend only once the PUT or the completion has
/// been answered, which is before the caller commits the metadata row that names it. Reads are ranged GETs of
/// exactly the bytes asked for. Failures of the backend (unreachable, 5xx, refused credentials, no such bucket)
/// throw <see cref="BlobStoreUnavailableException"/>.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>8 MiB: S3's parts must be 5 MiB at least (but the last); a write holds at most <see cref="PartsInFlight"/> + 1 of them.</summary>
    public const int DefaultPartSize = 8 * 1024 * 1024;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly ArrayPool<byte> _buffers;

    /// <summary>Over HTTPS the payload is not hashed again for the signature (TLS guards it); the SDK refuses that over plain HTTP.</summary>
    private readonly bool _unsignedPayload;

    public S3BlobStore(IAmazonS3 client, string bucket, string prefix, TimeProvider time, int partSize = DefaultPartSize, bool ownsClient = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 5 * 1024 * 1024);
        _client = client;
        _ownsClient = ownsClient;
        _bucket = bucket;
        _prefix = NormalizePrefix(prefix);
        _time = time;
        PartSize = partSize;
        _buffers = ArrayPool<byte>.Create(partSize, 64);
        var url = client.Config.ServiceURL;
        _unsignedPayload = url is null ? !client.Config.UseHttp : url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    public int PartSize { get; }

    /// <summary>Parts of one write uploading at once: enough to overlap the backend's latency per part with the client's sending.</summary>
    public int PartsInFlight { get; init; } = 3;

    public string Description => "s3://" + _bucket + "/" + _prefix;

    /// <summary>A client for the backend: path-style addressing (RGW without a DNS name), checksums only where S3 requires them (RGW 16 knows no trailing checksums), few retries, bounded waits.</summary>
    public static AmazonS3Client CreateClient(Uri? endpoint, string region, string accessKeyId, string secretAccessKey)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            AuthenticationRegion = region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (endpoint is null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = endpoint.ToString();
        }

        return new AmazonS3Client(new BasicAWSCredentials(accessKeyId, secretAccessKey), config);
    }

    /// <summary>&lt;prefix&gt;&lt;location&gt;/&lt;id&gt;, from an id checked again here, as the disk store checks its paths.</summary>
    internal string KeyOf(BlobId id)
    {
        if (!BlobId.IsValidLocation(id.Location) || !BlobId.IsValidId(id.Id))
        {
            throw new ArgumentException("Invalid blob id.", nameof(id));
        }

        return _prefix + id.Location + "/" + id.Id;
    }

    public Task<BlobWriteResult> WriteAsync(string location, Stream content, CancellationToken cancellationToken) =>
        WriteAsync(BlobId.New(location), content, cancellationToken);

    public Task<BlobWriteResult> ImportAsync(BlobId id, Stream content, CancellationToken cancellationToken) =>
        WriteAsync(id, content, cancellationToken);

    private async Task<BlobWriteResult> WriteAsync(BlobId id, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = KeyOf(id);
#pragma warning disable CA5351 // S3 defines a simple upload's ETag as the MD5 of its bytes.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var first = _buffers.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, first.AsMemory(0, PartSize), cancellationToken);
            md5.AppendData(first, 0, filled);
            if (filled < PartSize)
            {
                var digest = md5.GetHashAndReset();
                await PutAsync(key, first, filled, digest, cancellationToken);
                return new BlobWriteResult(id, filled, digest);
            }

            var (length, hash) = await WriteLargeAsync(key, content, first, md5, cancellationToken);
            return new BlobWriteResult(id, length, hash);
        }
        finally
        {
            _buffers.Return(first);
        }
    }

    /// <summary>One PUT with the bytes' Content-MD5, which the backend checks.</summary>
    private async Task PutAsync(string key, byte[] buffer, int count, byte[] md5, CancellationToken cancellationToken) =>
        await CallAsync("PUT " + key, () => _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = new MemoryStream(buffer, 0, count, writable: false),
                AutoCloseStream = true,
                UseChunkEncoding = false,
                DisablePayloadSigning = _unsignedPayload,
                MD5Digest = Convert.ToBase64String(md5),
            },
            cancellationToken), cancellationToken);

    /// <summary>
    /// A write whose first part is full (<paramref name="first"/> stays the caller's to return). The next part is
    /// read before anything is sent: a blob of exactly one part (an 8 MiB part of a client's multipart upload) is
    /// then one PUT. Otherwise a multipart upload whose parts upload while the next ones are read, at most
    /// <see cref="PartsInFlight"/> at once, so a write holds that many parts plus the one being read, and the
    /// backend's latency per part overlaps the client's sending.
    /// </summary>
    private async Task<(long Length, byte[] Md5)> WriteLargeAsync(string key, Stream content, byte[] first, IncrementalHash md5, CancellationToken cancellationToken)
    {
        var parts = new List<PartETag>();
        var inFlight = new Queue<(Task<PartETag> Upload, byte[] Buffer)>();
        long length = PartSize;
        string? uploadId = null;
        var reading = _buffers.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, reading.AsMemory(0, PartSize), cancellationToken);
            md5.AppendData(reading, 0, filled);
            length += filled;
            if (filled == 0)
            {
                var digest = md5.GetHashAndReset();
                await PutAsync(key, first, PartSize, digest, cancellationToken);
                return (length, digest);
            }

            uploadId = (await CallAsync("CreateMultipartUpload " + key, () => _client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken), cancellationToken)).UploadId;
            var upload = uploadId;
            inFlight.Enqueue((UploadPartAsync(key, upload, 1, first, PartSize, cancellationToken), first));
            var number = 1;
            while (true)
            {
                number++;
                var buffer = reading;
                reading = null;
                inFlight.Enqueue((UploadPartAsync(key, upload, number, buffer!, filled, cancellationToken), buffer!));
                if (filled < PartSize)
                {
                    break;
                }

                if (inFlight.Count >= PartsInFlight)
                {
                    await FinishOldestAsync(inFlight, parts, first);
                }

                reading = _buffers.Rent(PartSize);
                filled = await FillAsync(content, reading.AsMemory(0, PartSize), cancellationToken);
                md5.AppendData(reading, 0, filled);
                length += filled;
                if (filled == 0)
                {
                    break;
                }
            }

            while (inFlight.Count > 0)
            {
                await FinishOldestAsync(inFlight, parts, first);
            }

            await CallAsync("CompleteMultipartUpload " + key, () => _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload, PartETags = parts }, cancellationToken), cancellationToken);
            return (length, md5.GetHashAndReset());
        }
        catch
        {
            // Every part's bytes are in use until its upload has ended, however the write failed.
            while (inFlight.TryDequeue(out var pending))
            {
                await ((Task)pending.Upload).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!ReferenceEquals(pending.Buffer, first))
                {
                    _buffers.Return(pending.Buffer);
                }
            }

            if (uploadId is not null)
            {
                await AbortQuietlyAsync(key, uploadId);
            }

            throw;
        }
        finally
        {
            if (reading is not null)
            {
                _buffers.Return(reading);
            }
        }
    }

    /// <summary>Waits for the oldest part in flight (uploads finish in part order as they are awaited in it), then frees its buffer.</summary>
    private async Task FinishOldestAsync(Queue<(Task<PartETag> Upload, byte[] Buffer)> inFlight, List<PartETag> parts, byte[] first)
    {
        var (upload, buffer) = inFlight.Peek();
        parts.Add(await upload);
        inFlight.Dequeue();
        if (!ReferenceEquals(buffer, first))
        {
            _buffers.Return(buffer);
        }
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var response = await CallAsync($"UploadPart {number} of {key}", () => _client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                PartSize = count,
                InputStream = new MemoryStream(buffer, 0, count, writable: false),
                UseChunkEncoding = false,
                DisablePayloadSigning = _unsignedPayload,
            },
            cancellationToken), cancellationToken);
        return new PartETag(number, response.ETag);
    }

    /// <summary>A failed write's upload is aborted, best effort: one left behind is collected by <see cref="CollectAbandonedWritesAsync"/>.</summary>
    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Left for the collection of abandoned writes.
        }
    }

    public async Task<BlobRange> OpenRangeAsync(BlobId id, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var key = KeyOf(id);
        if (length == 0)
        {
            return new BlobRange(Stream.Null, await LengthOfAsync(key, cancellationToken));
        }

        GetObjectResponse response;
        try
        {
            response = await CallAsync("GET " + key, () => _client.GetObjectAsync(
                new GetObjectRequest { BucketName = _bucket, Key = key, ByteRange = RangeOf(offset, length) }, cancellationToken), cancellationToken, notFoundIsMissing: true);
        }
        catch (BlobStoreUnavailableException e) when (e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            // The range starts past the blob's end: nothing of it, as the disk store answers.
            return new BlobRange(Stream.Null, await LengthOfAsync(key, cancellationToken));
        }

        var total = TotalOf(response.ContentRange) ?? response.ContentLength;
        var body = response.ContentLength;
        return new BlobRange(new BoundedReadStream(response.ResponseStream, body, response), total);
    }

    /// <summary>The Range header for [offset, offset + length): none for a whole blob, open-ended to read to the end.</summary>
    private static ByteRange? RangeOf(long offset, long length) =>
        length > long.MaxValue - offset
            ? offset == 0 ? null : new ByteRange("bytes=" + offset.ToString(CultureInfo.InvariantCulture) + "-")
            : new ByteRange(offset, offset + length - 1);

    /// <summary>The whole object's length from a Content-Range ("bytes 0-99/1234").</summary>
    internal static long? TotalOf(string? contentRange)
    {
        var slash = contentRange?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(contentRange![(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;
    }

    private async Task<long> LengthOfAsync(string key, CancellationToken cancellationToken) =>
        (await CallAsync("HEAD " + key, () => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, cancellationToken), cancellationToken, notFoundIsMissing: true)).ContentLength;

    public async Task<bool> ExistsAsync(BlobId id, CancellationToken cancellationToken)
    {
        try
        {
            await LengthOfAsync(KeyOf(id), cancellationToken);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public async Task DeleteAsync(BlobId id, CancellationToken cancellationToken)
    {
        var key = KeyOf(id);
        await CallAsync("DELETE " + key, () => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken), cancellationToken);
    }

    /// <summary>Multipart uploads under the prefix begun more than <paramref name="olderThan"/> ago (a crash stopped them), aborted.</summary>
    public async Task<int> CollectAbandonedWritesAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - olderThan;
        var removed = 0;
        string? keyMarker = null;
        string? uploadIdMarker = null;
        while (true)
        {
            var page = await CallAsync("ListMultipartUploads", () => _client.ListMultipartUploadsAsync(
                new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker }, cancellationToken), cancellationToken);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } initiated && new DateTimeOffset(initiated.ToUniversalTime(), TimeSpan.Zero) <= cutoff && IsBlobKey(upload.Key))
                {
                    await CallAsync("AbortMultipartUpload " + upload.Key, () => _client.AbortMultipartUploadAsync(
                        new AbortMultipartUploadRequest { BucketName = _bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken), cancellationToken);
                    removed++;
                }
            }

            if (page.IsTruncated != true)
            {
                return removed;
            }

            keyMarker = page.NextKeyMarker;
            uploadIdMarker = page.NextUploadIdMarker;
        }
    }

    private bool IsBlobKey(string key)
    {
        if (!key.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key[_prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && BlobId.IsValidLocation(rest[..slash]) && BlobId.IsValidId(rest[(slash + 1)..]);
    }

    /// <summary>
    /// Lists one key under the prefix: a wrong endpoint, credential or bucket shows at start. Returns null when the
    /// backend answered, else why it could not be reached (a node may start while its backend is down); throws
    /// <see cref="ArgumentException"/> when the backend refused (credentials, bucket), which no retry mends.
    /// </summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken);
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            throw new ArgumentException($"--blobs {Description}: the backend refused to list the bucket ({(int)e.StatusCode} {e.ErrorCode}): check the bucket's name, the endpoint and the credentials.", e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            return e.Message;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the content ends (a pooled array may be longer than a part: only the part's length is filled).</summary>
    private static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await content.ReadAsync(buffer[filled..], cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    /// <summary>
    /// One call to the backend. Its failures become <see cref="BlobStoreUnavailableException"/> (naming the call and
    /// the backend's answer, never a credential); a missing key becomes <see cref="FileNotFoundException"/> where the
    /// call reads one; the caller's own cancellation stays what it is.
    /// </summary>
    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken, bool notFoundIsMissing = false)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (notFoundIsMissing && e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or null or "" or "NotFound")
        {
            throw new FileNotFoundException($"No blob at {what} in {Description}.", e);
        }
        catch (AmazonServiceException e) when (e.StatusCode != 0 && !cancellationToken.IsCancellationRequested)
        {
            throw new BlobStoreUnavailableException($"The blob store {Description} answered {(int)e.StatusCode} {e.ErrorCode} to {what}.", e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new BlobStoreUnavailableException($"The blob store {Description} could not be reached for {what}: {e.Message}", e);
        }
    }

    /// <summary>A transport failure or a timeout of the SDK's own, not the caller's cancellation.</summary>
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e is AmazonClientException or AmazonServiceException or HttpRequestException or IOException or OperationCanceledException or System.Net.Sockets.SocketException;

    private static string NormalizePrefix(string prefix)
    {
        var trimmed = (prefix ?? "").Trim('/');
        return trimmed.Length == 0 ? "" : trimmed + "/";
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
