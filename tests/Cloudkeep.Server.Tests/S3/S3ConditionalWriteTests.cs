using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Conditional writes (If-None-Match: *, If-Match) on PutObject and CompleteMultipartUpload, and a
/// completion repeated after it succeeded: through the SDK for .NET, boto3 and raw racing requests.
/// </summary>
public abstract class S3ConditionalWriteTests(ServerFixture fixture)
{
    private const int MiB = 1024 * 1024;

    private async Task<(AmazonS3Client S3, string Bucket)> BucketAsync(string prefix)
    {
        var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return (s3, bucket);
    }

    private static async Task<string> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task PutObject_IfNoneMatchStar_WritesANewKeyAndRefusesAnExistingOne412()
    {
        var (s3, bucket) = await BucketAsync("cw-none");
        using var _ = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "first", IfNoneMatch = "*" });
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "second", IfNoneMatch = "*" }));
        Assert.Equal("PreconditionFailed", error.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        Assert.Equal("first", await ReadAsync(s3, bucket, "k"));

        // boto3 sends the same header, and gets the same answer.
        var result = await Boto3.RunAsync(fixture.Server, $$"""
            from botocore.exceptions import ClientError
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            try:
                s3.put_object(Bucket='{{bucket}}', Key='k', Body=b'boto', IfNoneMatch='*')
                print(json.dumps({'code': 'none'}))
            except ClientError as e:
                print(json.dumps({'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
            """);
        Assert.Equal("PreconditionFailed", result.GetProperty("code").GetString());
        Assert.Equal(412, result.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task PutObject_IfMatch_WritesOnTheSameETagOnly()
    {
        var (s3, bucket) = await BucketAsync("cw-match");
        using var _ = s3;
        var first = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "first" });
        var second = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "second", IfMatch = first.ETag });
        Assert.Equal("second", await ReadAsync(s3, bucket, "k"));

        var stale = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "third", IfMatch = first.ETag }));
        Assert.Equal("PreconditionFailed", stale.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(second.ETag, (await s3.GetObjectMetadataAsync(bucket, "k")).ETag);

        var absent = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "absent", ContentBody = "x", IfMatch = first.ETag }));
        Assert.Equal("NoSuchKey", absent.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "absent" })).S3Objects ?? []);
    }

    [Fact]
    public async Task PutObject_RacingIfNoneMatchStar_ExactlyOneWinsTheOthersAre412Or409()
    {
        var (s3, bucket) = await BucketAsync("cw-race");
        using var _ = s3;
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            S3Raw.SendAsync(fixture.Server, S3Raw.Request("PUT", bucket, "contended", null, ("If-None-Match", "*")).WithBody("writer " + i))));

        var winners = answers.Select((a, i) => (a, i)).Where(x => x.a.Status == HttpStatusCode.OK).ToList();
        Assert.Single(winners);

        // AWS documents both: 412 for a write that finds the winner's object, 409 ConditionalRequestConflict for one still in flight.
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Contains((a.Status, a.Code), new[] { (HttpStatusCode.PreconditionFailed, "PreconditionFailed"), (HttpStatusCode.Conflict, "ConditionalRequestConflict") }));
        Assert.Equal("writer " + winners[0].i, await ReadAsync(s3, bucket, "contended"));
    }

    private static async Task<(string UploadId, List<PartETag> Parts)> UploadTwoPartsAsync(IAmazonS3 s3, string bucket, string key)
    {
        var uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key })).UploadId;
        var parts = new List<PartETag>();
        foreach (var (number, size) in new[] { (1, 5 * MiB), (2, 1024) })
        {
            var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(new byte[size]) });
            parts.Add(new PartETag(number, part.ETag));
        }

        return (uploadId, parts);
    }

    [Fact]
    public async Task CompleteMultipartUpload_IfNoneMatchOnAnExistingKey_412AndTheUploadStaysOpen()
    {
        var (s3, bucket) = await BucketAsync("cw-mpu");
        using var _ = s3;
        var existing = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "existing" });
        var (uploadId, parts) = await UploadTwoPartsAsync(s3, bucket, "k");

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = parts, IfNoneMatch = "*" }));
        Assert.Equal("PreconditionFailed", error.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        Assert.Equal("existing", await ReadAsync(s3, bucket, "k"));
        Assert.Equal(2, (await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = uploadId })).Parts.Count);

        var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = parts, IfMatch = existing.ETag });
        Assert.EndsWith("-2\"", completed.ETag, StringComparison.Ordinal);
        Assert.Equal(5 * MiB + 1024, (await s3.GetObjectMetadataAsync(bucket, "k")).ContentLength);
    }

    [Fact]
    public async Task CompleteMultipartUpload_RepeatedWithTheSameParts_200WithTheSameETagWhileTheObjectIsCurrent()
    {
        var (s3, bucket) = await BucketAsync("cw-repeat");
        using var _ = s3;
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var (uploadId, parts) = await UploadTwoPartsAsync(s3, bucket, "k");
        var request = new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = parts };
        var first = await s3.CompleteMultipartUploadAsync(request);
        var again = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = parts });
        Assert.Equal(HttpStatusCode.OK, again.HttpStatusCode);
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(first.VersionId, again.VersionId);
        Assert.Single((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions);

        // Other parts than those completed, or once another write has replaced the object: the upload is gone.
        var otherParts = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = [parts[0]] }));
        Assert.Equal("NoSuchUpload", otherParts.ErrorCode);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "replaced" });
        var replaced = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartETags = parts }));
        Assert.Equal("NoSuchUpload", replaced.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, replaced.StatusCode);
    }
}

public sealed class S3ConditionalWriteTestsOnSqlite(ServerFixture fixture) : S3ConditionalWriteTests(fixture), IClassFixture<ServerFixture>;

public sealed class S3ConditionalWriteTestsOnPostgres(PostgresServerFixture fixture) : S3ConditionalWriteTests(fixture), IClassFixture<PostgresServerFixture>;
