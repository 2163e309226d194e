using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>Objects through the AWS SDK for .NET: bodies, headers, ranges, conditions, checksums, copies, tags, deletes.</summary>
public abstract class S3ObjectTests(ServerFixture fixture)
{
    private async Task<(AmazonS3Client S3, string Bucket)> BucketAsync()
    {
        var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("objects");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return (s3, bucket);
    }

    private static async Task<string> ReadAsync(GetObjectResponse response)
    {
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task PutObject_WithHeadersAndMetadata_GetReturnsThemAndTheBody()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var put = new PutObjectRequest { BucketName = bucket, Key = "docs/report.txt", ContentBody = "quarterly report", ContentType = "text/plain; charset=utf-8" };
        put.Metadata["stage"] = "production";
        put.Headers.CacheControl = "max-age=60";
        put.Headers.ContentDisposition = "attachment; filename=report.txt";
        put.Headers.ContentEncoding = "identity";
        var putResponse = await s3.PutObjectAsync(put);

        using var get = await s3.GetObjectAsync(bucket, "docs/report.txt");
        Assert.Equal("quarterly report", await ReadAsync(get));
        Assert.Equal(putResponse.ETag, get.ETag);
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData("quarterly report"u8)) + "\"", get.ETag);
        Assert.Equal("text/plain; charset=utf-8", get.Headers.ContentType);
        Assert.Equal("production", get.Metadata["x-amz-meta-stage"]);
        Assert.Equal("max-age=60", get.Headers.CacheControl);
        Assert.Equal("attachment; filename=report.txt", get.Headers.ContentDisposition);
        Assert.Equal(16, get.ContentLength);

        var head = await s3.GetObjectMetadataAsync(bucket, "docs/report.txt");
        Assert.Equal(16, head.ContentLength);
        Assert.Equal(putResponse.ETag, head.ETag);
    }

    [Fact]
    public async Task GetObject_Range_Is206WithTheSlice()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r", ContentBody = "0123456789" });
        using var middle = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange(2, 5) });
        Assert.Equal(HttpStatusCode.PartialContent, middle.HttpStatusCode);
        Assert.Equal("2345", await ReadAsync(middle));
        Assert.Equal("bytes 2-5/10", middle.ContentRange);
        using var suffix = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange("bytes=-3") });
        Assert.Equal("789", await ReadAsync(suffix));
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r", ByteRange = new ByteRange(20, 30) }));
        Assert.Equal("InvalidRange", error.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, error.StatusCode);
    }

    [Fact]
    public async Task GetObject_Conditions_Answer304And412()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "c", ContentBody = "v1" });
        var notModified = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var failed = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToMatch = "\"0000\"" }));
        Assert.Equal("PreconditionFailed", failed.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        using var matched = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", EtagToMatch = put.ETag, ModifiedSinceDate = DateTime.UtcNow.AddDays(-1) });
        Assert.Equal("v1", await ReadAsync(matched));
        var unmodified = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "c", UnmodifiedSinceDate = DateTime.UtcNow.AddDays(-1) }));
        Assert.Equal("PreconditionFailed", unmodified.ErrorCode);
    }

    [Fact]
    public async Task GetObject_ResponseOverrides_ReplaceTheStoredHeaders()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "o", ContentBody = "x", ContentType = "text/plain" });
        var request = new GetObjectRequest { BucketName = bucket, Key = "o" };
        request.ResponseHeaderOverrides.ContentType = "application/pdf";
        request.ResponseHeaderOverrides.ContentDisposition = "inline";
        using var response = await s3.GetObjectAsync(request);
        Assert.Equal("application/pdf", response.Headers.ContentType);
        Assert.Equal("inline", response.Headers.ContentDisposition);
    }

    [Fact]
    public async Task PutObject_WrongContentMd5_IsBadDigestAndNothingBecomesVisible()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "bad-md5",
            ContentBody = "payload",
            MD5Digest = Convert.ToBase64String(MD5.HashData("something else"u8)),
        }));
        Assert.Equal("BadDigest", error.ErrorCode);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "bad-md5"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task PutObject_SdkDefaultChecksum_IsVerifiedStoredAndReturned()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var body = RandomNumberGenerator.GetBytes(300_000);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "crc", InputStream = new MemoryStream(body), ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "crc", ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(body);
        var expected = BitConverter.GetBytes(crc.GetCurrentHashAsUInt32());
        Array.Reverse(expected);
        Assert.Equal(Convert.ToBase64String(expected), response.ChecksumCRC32);
    }

    [Theory]
    [InlineData("CRC32C")]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public async Task PutObject_WrongDeclaredChecksum_IsBadDigest(string algorithm)
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var request = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "data" };
        var wrong = Convert.ToBase64String(algorithm switch { "CRC32C" => new byte[4], "SHA1" => new byte[20], _ => new byte[32] });
        switch (algorithm)
        {
            case "CRC32C": request.ChecksumCRC32C = wrong; break;
            case "SHA1": request.ChecksumSHA1 = wrong; break;
            default: request.ChecksumSHA256 = wrong; break;
        }

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(request));
        Assert.Equal("BadDigest", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);
    }

    [Fact]
    public async Task ListObjectsV2_DelimiterPrefixAndPages_AsS3Lists()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        foreach (var key in new[] { "a.txt", "docs/1.txt", "docs/2.txt", "docs/sub/3.txt", "img/x.png", "z.txt" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var top = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a.txt", "z.txt"], top.S3Objects.Select(o => o.Key));
        Assert.Equal(["docs/", "img/"], top.CommonPrefixes);
        Assert.Equal(4, top.KeyCount);

        var docs = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "docs/", Delimiter = "/" });
        Assert.Equal(["docs/1.txt", "docs/2.txt"], docs.S3Objects.Select(o => o.Key));
        Assert.Equal(["docs/sub/"], docs.CommonPrefixes);

        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 2, ContinuationToken = token });
            keys.AddRange(page.S3Objects.Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["a.txt", "docs/1.txt", "docs/2.txt", "docs/sub/3.txt", "img/x.png", "z.txt"], keys);

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "docs/sub/3.txt", FetchOwner = true });
        Assert.Equal(["img/x.png", "z.txt"], after.S3Objects.Select(o => o.Key));
        Assert.NotNull(after.S3Objects[0].Owner?.Id);
    }

    [Fact]
    public async Task ListObjects_V1_MarkerAndNextMarkerWithDelimiter()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        foreach (var key in new[] { "a/1", "a/2", "b/1", "c" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x" });
        }

        var first = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 1 });
        Assert.Equal(["a/"], first.CommonPrefixes);
        Assert.True(first.IsTruncated);
        Assert.Equal("a/", first.NextMarker);
        var second = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", Marker = first.NextMarker });
        Assert.Equal(["b/"], second.CommonPrefixes);
        Assert.Equal(["c"], second.S3Objects.Select(o => o.Key));
        var plain = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Marker = "a/2" });
        Assert.Equal(["b/1", "c"], plain.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListObjectsV2_EncodingTypeUrl_RoundTripsOddKeys()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        const string key = "with space/and+plus&amp%percent";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x" });
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Encoding = EncodingType.Url });
        // The SDK for .NET hands the encoded key back as S3 sent it: percent-encoding, '/' left readable.
        var encoded = Assert.Single(listed.S3Objects).Key;
        Assert.Equal("with%20space/and%2Bplus%26amp%25percent", encoded);
        Assert.Equal(key, Uri.UnescapeDataString(encoded));
    }

    [Fact]
    public async Task DeleteObjects_ReportsEachKey_QuietReportsNone()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        foreach (var key in new[] { "d1", "d2", "d3" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x" });
        }

        var loud = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "d1" }, new KeyVersion { Key = "never-existed" }] });
        Assert.Equal(["d1", "never-existed"], loud.DeletedObjects.Select(d => d.Key).Order());
        var quiet = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Quiet = true, Objects = [new KeyVersion { Key = "d2" }, new KeyVersion { Key = "d3" }] });
        Assert.Empty(quiet.DeletedObjects ?? []);
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(left.S3Objects ?? []);
    }

    [Fact]
    public async Task CopyObject_MetadataDirective_CopiesOrReplaces()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var put = new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "content", ContentType = "text/plain" };
        put.Metadata["origin"] = "source";
        await s3.PutObjectAsync(put);
        var otherBucket = S3Clients.UniqueBucket("copies");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = otherBucket });

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = otherBucket, DestinationKey = "copied" });
        var copied = await s3.GetObjectMetadataAsync(otherBucket, "copied");
        Assert.Equal("source", copied.Metadata["x-amz-meta-origin"]);
        Assert.Equal("text/plain", copied.Headers.ContentType);

        var replace = new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "src", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "application/json" };
        replace.Metadata["origin"] = "replaced";
        await s3.CopyObjectAsync(replace);
        var replaced = await s3.GetObjectMetadataAsync(bucket, "src");
        Assert.Equal("replaced", replaced.Metadata["x-amz-meta-origin"]);
        Assert.Equal("application/json", replaced.Headers.ContentType);

        var toItself = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "src" }));
        Assert.Equal("InvalidRequest", toItself.ErrorCode);
        var conditional = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "c2", ETagToMatch = "\"nope\"" }));
        Assert.Equal("PreconditionFailed", conditional.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "nothing", DestinationBucket = bucket, DestinationKey = "c3" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task ObjectTagging_PutGetDelete_AndLimits()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "t", ContentBody = "x", TagSet = [new Tag { Key = "class", Value = "public" }] });
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Equal("public", Assert.Single(tags.Tagging).Value);
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "t", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }] } });
        Assert.Equal(2, (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" })).Tagging.Count);
        var tooMany = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "t",
            Tagging = new Tagging { TagSet = [.. Enumerable.Range(0, 11).Select(i => new Tag { Key = "k" + i, Value = "v" })] },
        }));
        Assert.Equal("BadRequest", tooMany.ErrorCode);
        await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" })).Tagging ?? []);
    }

    [Fact]
    public async Task Keys_ThatLookLikePaths_AreJustKeysAndNeverReachTheDisk()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        const string key = "../../../../etc/passwd";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "not a file" });
        using var get = await s3.GetObjectAsync(bucket, key);
        Assert.Equal("not a file", await ReadAsync(get));
        Assert.NotEqual("not a file", await File.ReadAllTextAsync("/etc/passwd"));
        var files = Directory.GetFiles(Path.Combine(fixture.Server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories);
        Assert.All(files, f => Assert.DoesNotContain("passwd", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_LongerThan1024Bytes_AreKeyTooLong()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        foreach (var length in new[] { 1025, 1024 * 1024 })
        {
            var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = new string('k', length), ContentBody = "x" }));
            Assert.Equal("KeyTooLongError", error.ErrorCode);
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = new string('k', 1024), ContentBody = "x" });
    }

    [Fact]
    public async Task PutObject_SmallObject_IsKeptInlineWithoutABlobFile_LargeOneGetsAFile()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        int Files() => Directory.GetFiles(Path.Combine(fixture.Server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories).Length;
        var before = Files();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "small", InputStream = new MemoryStream(new byte[64 * 1024]) });
        Assert.Equal(before, Files());
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "large", InputStream = new MemoryStream(new byte[(64 * 1024) + 1]) });
        Assert.Equal(before + 1, Files());
        using var small = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "small", ByteRange = new ByteRange(100, 199) });
        Assert.Equal(100, small.ContentLength);
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "small", DestinationBucket = bucket, DestinationKey = "small-copy" });
        Assert.Equal(64 * 1024, (await s3.GetObjectMetadataAsync(bucket, "small-copy")).ContentLength);
        await s3.DeleteObjectAsync(bucket, "large");
        Assert.Equal(before + 1, Files());
    }

    [Fact]
    public async Task GetObject_MissingKey_IsNoSuchKey404()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "absent"));
        Assert.Equal("NoSuchKey", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Expires_IsStoredAndAnswered_AndResponseExpiresOverridesIt()
    {
        var (s3, bucket) = await BucketAsync();
        s3.Dispose();
        var result = await Boto3.RunAsync(fixture.Server, $$"""
            import datetime
            from botocore.config import Config
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
            s3.put_object(Bucket='{{bucket}}', Key='k', Body=b'x', Expires=datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
            head = s3.head_object(Bucket='{{bucket}}', Key='k')['ResponseMetadata']['HTTPHeaders'].get('expires')
            got = s3.get_object(Bucket='{{bucket}}', Key='k', ResponseExpires=datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc))['ResponseMetadata']['HTTPHeaders'].get('expires')
            print(json.dumps({'head': head, 'get': got}))
            """);
        Assert.Equal("Wed, 02 Jan 2030 03:04:05 GMT", result.GetProperty("head").GetString());
        Assert.Equal("Tue, 06 May 2031 07:08:09 GMT", result.GetProperty("get").GetString());
    }
}

public sealed class S3ObjectTestsOnSqlite(ServerFixture fixture) : S3ObjectTests(fixture), IClassFixture<ServerFixture>;

public sealed class S3ObjectTestsOnPostgres(PostgresServerFixture fixture) : S3ObjectTests(fixture), IClassFixture<PostgresServerFixture>;
