using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// SSE-C through AWSSDK.S3, boto3 and the AWS CLI: blocked on buckets until BlockedEncryptionTypes is
/// NONE (as on AWS since April 2026), the key needed on every read, part and copy, never stored, and
/// ranges and multipart objects read back; reads of existing SSE-C objects survive a re-block.
/// </summary>
public sealed class S3EncryptionCustomerKeyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] OtherKey = RandomNumberGenerator.GetBytes(32);

    private static string Base64(byte[] key) => Convert.ToBase64String(key);

    internal static async Task AllowSseCAsync(AmazonS3Client s3, string bucket, string type = "NONE") =>
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 },
                        BlockedEncryptionTypes = new BlockedEncryptionTypes { EncryptionType = [type] },
                    },
                ],
            },
        });

    private async Task<string> NewBucketAsync(AmazonS3Client s3, string prefix, bool allowSseC = true)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        if (allowSseC)
        {
            await AllowSseCAsync(s3, bucket);
        }

        return bucket;
    }

    private static PutObjectRequest Put(string bucket, string key, string body, byte[]? customerKey = null) => new()
    {
        BucketName = bucket,
        Key = key,
        ContentBody = body,
        ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
        ServerSideEncryptionCustomerProvidedKey = Base64(customerKey ?? Key),
    };

    private static async Task<string> ReadAsync(AmazonS3Client s3, string bucket, string key, byte[]? customerKey, ByteRange? range = null)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range };
        if (customerKey is not null)
        {
            request.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            request.ServerSideEncryptionCustomerProvidedKey = Base64(customerKey);
        }

        using var response = await s3.GetObjectAsync(request);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private string Meta(string bucket, string key)
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(fixture.Server.DataDirectory, "cloudkeep.db"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT meta FROM s3_objects WHERE bucket = $b AND object_key = $k";
        command.Parameters.AddWithValue("$b", bucket);
        command.Parameters.AddWithValue("$k", key);
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task PutObject_SseCOnANewBucket_IsAccessDeniedUntilBlockedEncryptionTypesIsNone()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssecblocked", allowSseC: false);
        var rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal("SSE-C", Assert.Single(rule.BlockedEncryptionTypes.EncryptionType));

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(Put(bucket, "k", "secret")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Contains("because this bucket has blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);

        await AllowSseCAsync(s3, bucket);
        Assert.Equal("NONE", Assert.Single(Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules).BlockedEncryptionTypes.EncryptionType));
        await s3.PutObjectAsync(Put(bucket, "k", "secret"));

        // Blocking again refuses new SSE-C writes (multipart and copies too); existing objects still read.
        await AllowSseCAsync(s3, bucket, "SSE-C");
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(Put(bucket, "k2", "x")))).ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "m", ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = Base64(Key),
        }))).ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "k", DestinationBucket = bucket, DestinationKey = "k3",
            CopySourceServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, CopySourceServerSideEncryptionCustomerProvidedKey = Base64(Key),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = Base64(Key),
        }))).ErrorCode);
        Assert.Equal("secret", await ReadAsync(s3, bucket, "k", Key));
    }

    [Fact]
    public async Task GetObject_SseC_NeedsTheSameKeyAndReadsRanges()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssecround");
        var body = string.Concat(Enumerable.Repeat("CLOUDKEEP-SSEC-PLAINTEXT;", 6000));
        var put = await s3.PutObjectAsync(Put(bucket, "doc", body));
        var md5 = Convert.ToBase64String(MD5.HashData(Key));
        Assert.Equal("AES256", put.ServerSideEncryptionCustomerMethod?.Value);
        Assert.Equal(md5, put.ServerSideEncryptionCustomerProvidedKeyMD5);
        Assert.True(string.IsNullOrEmpty(put.ServerSideEncryptionMethod?.Value));

        // As on AWS, an SSE-C object's ETag is not the MD5 of its bytes (which would confirm guesses of them).
        Assert.Matches("^\"[0-9a-f]{32}\"$", put.ETag);
        Assert.NotEqual("\"" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))) + "\"", put.ETag);

        Assert.Equal(body, await ReadAsync(s3, bucket, "doc", Key));
        Assert.Equal(body[70_000..70_500], await ReadAsync(s3, bucket, "doc", Key, new ByteRange(70_000, 70_499)));
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest
        {
            BucketName = bucket, Key = "doc", ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = Base64(Key),
        });
        Assert.Equal(md5, head.ServerSideEncryptionCustomerProvidedKeyMD5);
        Assert.Equal(body.Length, head.ContentLength);

        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "doc", null));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("InvalidRequest", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "doc"))).StatusCode);
        var wrong = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "doc", OtherKey));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("AccessDenied", wrong.ErrorCode);

        // GetObjectAttributes needs the key as GET and HEAD do.
        var attributes = new GetObjectAttributesRequest { BucketName = bucket, Key = "doc", ObjectAttributes = [ObjectAttributes.ObjectSize] };
        Assert.Equal("InvalidRequest", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAttributesAsync(attributes))).ErrorCode);
        attributes.SSECustomerAlgorithm = ServerSideEncryptionCustomerMethod.AES256;
        attributes.SSECustomerKey = Base64(Key);
        attributes.SSECustomerKeyMD5 = md5;
        Assert.Equal(body.Length, (await s3.GetObjectAttributesAsync(attributes)).ObjectSize);

        // Neither the key nor its MD5 is kept: only a salt and a check value.
        var meta = Meta(bucket, "doc");
        Assert.DoesNotContain(Base64(Key), meta, StringComparison.Ordinal);
        Assert.DoesNotContain(md5, meta, StringComparison.Ordinal);
        Assert.Contains("\"SSECustomer\"", meta, StringComparison.Ordinal);

        // An object without SSE-C refuses SSE-C headers.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "plain", ContentBody = "x" });
        Assert.Equal("InvalidRequest", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "plain", Key))).ErrorCode);
    }

    [Fact]
    public async Task MultipartAndCopy_SseC_EachPartAndEachSourceCarriesItsKey()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssecmulti");
        var create = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "m", ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = Base64(Key),
        });
        Assert.Equal("AES256", create.ServerSideEncryptionCustomerMethod?.Value);
        var part1 = new string('a', 5 * 1024 * 1024);
        var part2 = "tail";
        UploadPartRequest Part(int number, string body, byte[]? key) => new()
        {
            BucketName = bucket, Key = "m", UploadId = create.UploadId, PartNumber = number, InputStream = new MemoryStream(Encoding.ASCII.GetBytes(body)),
            ServerSideEncryptionCustomerMethod = key is null ? null : ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = key is null ? null : Base64(key),
        };

        Assert.Equal("InvalidRequest", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(Part(1, part1, null)))).ErrorCode);
        var mismatch = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.UploadPartAsync(Part(1, part1, OtherKey)));
        Assert.Equal("InvalidRequest", mismatch.ErrorCode);
        Assert.Equal("The provided encryption parameters did not match the ones used originally.", mismatch.Message);

        var first = await s3.UploadPartAsync(Part(1, part1, Key));
        Assert.Equal(Convert.ToBase64String(MD5.HashData(Key)), first.SSECustomerKeyMD5);
        var second = await s3.UploadPartAsync(Part(2, part2, Key));
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "m", UploadId = create.UploadId, PartETags = [new(1, first.ETag), new(2, second.ETag)] });
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "m", Key));
        Assert.Equal("aatail", await ReadAsync(s3, bucket, "m", Key, new ByteRange(part1.Length - 2, part1.Length + 3)));

        // Copy: the source's key opens it, the destination gets its own.
        var copyNoKey = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "m", DestinationBucket = bucket, DestinationKey = "c" }));
        Assert.Equal("InvalidRequest", copyNoKey.ErrorCode);
        var copy = await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "m", DestinationBucket = bucket, DestinationKey = "c",
            CopySourceServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, CopySourceServerSideEncryptionCustomerProvidedKey = Base64(Key),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, ServerSideEncryptionCustomerProvidedKey = Base64(OtherKey),
        });
        Assert.Equal(Convert.ToBase64String(MD5.HashData(OtherKey)), copy.ServerSideEncryptionCustomerProvidedKeyMD5);
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "c", OtherKey));
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "c", Key))).ErrorCode);

        // Copy to an SSE-S3 object (the bucket default) needs only the source key.
        var plain = await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "c", DestinationBucket = bucket, DestinationKey = "plain",
            CopySourceServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256, CopySourceServerSideEncryptionCustomerProvidedKey = Base64(OtherKey),
        });
        Assert.Equal(ServerSideEncryptionMethod.AES256, plain.ServerSideEncryptionMethod);
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "plain", null));
    }

    [Fact]
    public async Task Boto3AndCli_SseC_RoundTrip()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssectools");
        var result = await Boto3.RunAsync(fixture.Server, $$"""
            key = bytes(range(32))
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            put = s3.put_object(Bucket='{{bucket}}', Key='boto', Body=b'from boto3 with my key', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
            get = s3.get_object(Bucket='{{bucket}}', Key='boto', SSECustomerAlgorithm='AES256', SSECustomerKey=key, Range='bytes=5-9')
            try:
                s3.get_object(Bucket='{{bucket}}', Key='boto')
                missing = 'none'
            except s3.exceptions.ClientError as e:
                missing = e.response['Error']['Code']
            print(json.dumps({'md5': put['SSECustomerKeyMD5'], 'range': get['Body'].read().decode(), 'missing': missing}))
            """);
        var md5 = Convert.ToBase64String(MD5.HashData(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(md5, result.GetProperty("md5").GetString());
        Assert.Equal("boto3", result.GetProperty("range").GetString());
        Assert.Equal("InvalidRequest", result.GetProperty("missing").GetString());

        var directory = Path.Combine(Path.GetTempPath(), "ck-ssec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var keyFile = Path.Combine(directory, "key.bin");
            await File.WriteAllBytesAsync(keyFile, Key);
            var source = Path.Combine(directory, "in.txt");
            await File.WriteAllTextAsync(source, "from the cli with my key");
            var cli = Cli.Root(fixture.Server);
            await cli.RunAsync("s3", "cp", "--only-show-errors", source, $"s3://{bucket}/cli", "--sse-c", "AES256", "--sse-c-key", "fileb://" + keyFile);
            var target = Path.Combine(directory, "out.txt");
            await cli.RunAsync("s3", "cp", "--only-show-errors", $"s3://{bucket}/cli", target, "--sse-c", "AES256", "--sse-c-key", "fileb://" + keyFile);
            Assert.Equal("from the cli with my key", await File.ReadAllTextAsync(target));
            var error = await cli.FailAsync("s3api", "head-object", "--bucket", bucket, "--key", "cli");
            Assert.Contains("400", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Assert.Equal("from the cli with my key", await ReadAsync(s3, bucket, "cli", Key));
    }
}
