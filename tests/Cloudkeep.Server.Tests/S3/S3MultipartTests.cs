using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>Multipart uploads: the SDK's TransferUtility end to end, and each rule S3 enforces on parts.</summary>
public abstract class S3MultipartTests(ServerFixture fixture)
{
    private const int MiB = 1024 * 1024;

    private async Task<(AmazonS3Client S3, string Bucket)> BucketAsync()
    {
        var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("multipart");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return (s3, bucket);
    }

    [Fact]
    public async Task TransferUtility_200MiBFile_UploadsWithDefaultChecksums_AndDownloadsByRanges()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "backup.bin");
        var block = RandomNumberGenerator.GetBytes(MiB);
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        await using (var file = File.Create(path))
        {
            for (var i = 0; i < 200; i++)
            {
                block[0] = (byte)i;
                await file.WriteAsync(block);
            }
        }

        var expected = await HashFileAsync(path);
        using var transfer = new TransferUtility(s3);
        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = "backups/nightly.bin", FilePath = path, PartSize = 16 * MiB });

        var head = await s3.GetObjectMetadataAsync(bucket, "backups/nightly.bin");
        Assert.Equal(200L * MiB, head.ContentLength);
        Assert.EndsWith("-13\"", head.ETag, StringComparison.Ordinal);

        // Download by ranges, in parallel, as download managers do.
        const long chunk = 32L * MiB;
        var pieces = new byte[(int)Math.Ceiling(200.0 * MiB / chunk)][];
        await Parallel.ForEachAsync(Enumerable.Range(0, pieces.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var start = i * chunk;
            var end = Math.Min(start + chunk, 200L * MiB) - 1;
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "backups/nightly.bin", ByteRange = new ByteRange(start, end) }, ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct);
            pieces[i] = buffer.ToArray();
        });
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var piece in pieces)
        {
            whole.AppendData(piece);
        }

        Assert.Equal(expected, whole.GetHashAndReset());

        // One part of a multipart object by its number.
        using var part = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "backups/nightly.bin", PartNumber = 13 });
        Assert.Equal(200L * MiB - 12 * 16L * MiB, part.ContentLength);
        Assert.Equal(13, part.PartsCount);
    }

    private static async Task<byte[]> HashFileAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return await SHA256.HashDataAsync(file);
    }

    private static async Task<string> UploadPartAsync(AmazonS3Client s3, string bucket, string key, string uploadId, int number, int size)
    {
        var response = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(new byte[size]) });
        return response.ETag;
    }

    [Fact]
    public async Task CompleteMultipartUpload_EnforcesPartRules()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var upload = (await s3.InitiateMultipartUploadAsync(bucket, "rules")).UploadId;
        var first = await UploadPartAsync(s3, bucket, "rules", upload, 1, 5 * MiB);
        var small = await UploadPartAsync(s3, bucket, "rules", upload, 2, 1024);
        var last = await UploadPartAsync(s3, bucket, "rules", upload, 3, 10);

        var wrongETag = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "rules", UploadId = upload, PartETags = [new PartETag(1, "\"00000000000000000000000000000000\"")],
        }));
        Assert.Equal("InvalidPart", wrongETag.ErrorCode);

        // The SDK for .NET sorts the parts itself; the AWS CLI sends them as given.
        var parts3Then1 = System.Text.Json.JsonSerializer.Serialize(new { Parts = new object[] { new { PartNumber = 3, ETag = last }, new { PartNumber = 1, ETag = first } } });
        var outOfOrder = await Cli.Root(fixture.Server).FailAsync("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "rules", "--upload-id", upload, "--multipart-upload", parts3Then1);
        Assert.Contains("InvalidPartOrder", outOfOrder, StringComparison.Ordinal);

        var tooSmall = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "rules", UploadId = upload, PartETags = [new PartETag(1, first), new PartETag(2, small), new PartETag(3, last)],
        }));
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);

        // Nothing is visible while the upload is incomplete.
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "rules"))).StatusCode);

        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "rules", UploadId = upload });
        Assert.Equal([1, 2, 3], parts.Parts.Select(p => p.PartNumber ?? 0));
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Equal(upload, Assert.Single(uploads.MultipartUploads).UploadId);

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "rules", UploadId = upload, PartETags = [new PartETag(1, first), new PartETag(3, last)],
        });
        var md5s = Convert.FromHexString(first.Trim('"')).Concat(Convert.FromHexString(last.Trim('"'))).ToArray();
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(md5s)) + "-2\"", done.ETag);
        Assert.Equal(5L * MiB + 10, (await s3.GetObjectMetadataAsync(bucket, "rules")).ContentLength);
        Assert.Empty((await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task AbortMultipartUpload_RemovesUploadAndParts()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var upload = (await s3.InitiateMultipartUploadAsync(bucket, "aborted")).UploadId;
        await UploadPartAsync(s3, bucket, "aborted", upload, 1, 1000);
        await s3.AbortMultipartUploadAsync(bucket, "aborted", upload);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "aborted", UploadId = upload }));
        Assert.Equal("NoSuchUpload", gone.ErrorCode);
        var partAfterAbort = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => UploadPartAsync(s3, bucket, "aborted", upload, 2, 10));
        Assert.Equal("NoSuchUpload", partAfterAbort.ErrorCode);
    }

    [Fact]
    public async Task UploadPartCopy_CopiesARangeOfAnObject()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var source = RandomNumberGenerator.GetBytes(6 * MiB);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", InputStream = new MemoryStream(source) });
        var upload = (await s3.InitiateMultipartUploadAsync(bucket, "assembled")).UploadId;
        var copy1 = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "source", DestinationBucket = bucket, DestinationKey = "assembled", UploadId = upload, PartNumber = 1, FirstByte = 0, LastByte = (5 * MiB) - 1 });
        var copy2 = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "source", DestinationBucket = bucket, DestinationKey = "assembled", UploadId = upload, PartNumber = 2, FirstByte = 5 * MiB, LastByte = (6 * MiB) - 1 });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "assembled", UploadId = upload, PartETags = [new PartETag(1, copy1.ETag), new PartETag(2, copy2.ETag)] });
        using var response = await s3.GetObjectAsync(bucket, "assembled");
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        Assert.Equal(source, buffer.ToArray());
    }

    /// <summary>
    /// CRC-64/NVME through the AWS SDK for JavaScript (the .NET SDK needs the native CRT for it):
    /// a single PUT, and a multipart upload whose whole-object CRC S3 combines from the parts' CRCs;
    /// then SHA512 and the xxHash family, which the JavaScript SDK computes and checks too.
    /// </summary>
    [Fact]
    public async Task Checksums_FromTheJavaScriptSdk_AreVerifiedAndCrc64NvmeCombinedIntoTheWholeObjectsCrc()
    {
        var tools = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "tools"));
        Assert.True(File.Exists(Path.Combine(tools, "node_modules", "@aws-sdk", "client-s3", "package.json")), "run `npm ci --prefix tests/tools` first (test.sh does)");
        var result = await ProcessRunner.RunAsync("node", [Path.Combine(tools, "s3-checksums.mjs")], new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = fixture.Server.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
            ["BUCKET"] = S3Clients.UniqueBucket("crc64"),
        });

        Assert.True(result.ExitCode == 0, result.StandardError);
        var answer = System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement;
        var expected = answer.GetProperty("expected").GetString();
        Assert.Equal(expected, answer.GetProperty("single").GetProperty("crc").GetString());
        Assert.Equal("FULL_OBJECT", answer.GetProperty("single").GetProperty("type").GetString());
        Assert.Equal("FULL_OBJECT", answer.GetProperty("initType").GetString());
        Assert.Equal(expected, answer.GetProperty("complete").GetProperty("crc").GetString());
        Assert.Equal("FULL_OBJECT", answer.GetProperty("complete").GetProperty("type").GetString());
        Assert.Equal(expected, answer.GetProperty("head").GetProperty("crc").GetString());
        var known = new Dictionary<string, string>
        {
            ["SHA512"] = "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
            ["XXHASH64"] = "RatnNLIeaWg=",
            ["XXHASH3"] = "1Eex6kDmmIs=",
            ["XXHASH128"] = "340J6T+HSQCpm4d1zBW2xw==",
        };
        foreach (var (algorithm, value) in known)
        {
            var other = answer.GetProperty("others").GetProperty(algorithm);
            Assert.Equal(value, other.GetProperty("put").GetString());
            Assert.Equal(value, other.GetProperty("get").GetString());
            Assert.Equal("hello world", other.GetProperty("body").GetString());
        }
    }

    [Fact]
    public async Task Multipart_WholeObjectChecksumThatDiffers_IsBadDigestAndMakesNoObject()
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;
        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "k", ChecksumAlgorithm = ChecksumAlgorithm.CRC32, ChecksumType = ChecksumType.FULL_OBJECT });
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "k", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream("data"u8.ToArray()), ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "k", UploadId = init.UploadId, PartETags = [new PartETag(1, part.ETag)],
            ChecksumCRC32 = Convert.ToBase64String(new byte[4]), ChecksumType = ChecksumType.FULL_OBJECT,
        }));

        Assert.Equal("BadDigest", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);
    }

    [Theory]
    [InlineData("CRC64NVME", "COMPOSITE")]
    [InlineData("SHA256", "FULL_OBJECT")]
    [InlineData("SHA512", "COMPOSITE")]
    public async Task CreateMultipartUpload_ChecksumTypeTheAlgorithmCannotHave_IsInvalidRequest(string algorithm, string type)
    {
        var (s3, bucket) = await BucketAsync();
        using var _ = s3;

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "k", ChecksumAlgorithm = new ChecksumAlgorithm(algorithm), ChecksumType = new ChecksumType(type),
        }));

        Assert.Equal("InvalidRequest", error.ErrorCode);
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }
}

public sealed class S3MultipartTestsOnSqlite(ServerFixture fixture) : S3MultipartTests(fixture), IClassFixture<ServerFixture>;

public sealed class S3MultipartTestsOnPostgres(PostgresServerFixture fixture) : S3MultipartTests(fixture), IClassFixture<PostgresServerFixture>;
