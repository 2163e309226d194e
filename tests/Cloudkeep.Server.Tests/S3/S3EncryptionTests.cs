using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Core.Crypto;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// SSE-S3 through AWSSDK.S3 and botocore: what is on disk (blob files, the SQLite inline column) is
/// never the plaintext, reads and ranges give the plaintext back, tampering answers an error and
/// never data, objects from before encryption still read, and the x-amz-server-side-encryption
/// header (and its condition key) behave as on AWS.
/// </summary>
public sealed class S3EncryptionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Chunk = ChunkedAesGcm.ChunkSize;

    private string Database => Path.Combine(fixture.Server.DataDirectory, "cloudkeep.db");

    private static byte[] Pattern(int size)
    {
        var marker = Encoding.ASCII.GetBytes("CLOUDKEEP-PLAINTEXT-MARKER;");
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = marker[i % marker.Length];
        }

        return bytes;
    }

    private static bool ContainsMarker(byte[] stored) => stored.AsSpan().IndexOf("CLOUDKEEP-PLAINTEXT"u8) >= 0;

    private async Task<string> NewBucketAsync(AmazonS3Client s3, string prefix)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    private static async Task<byte[]> GetBytesAsync(AmazonS3Client s3, string bucket, string key, ByteRange? range = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range });
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=" + Database);
        connection.Open();
        return connection;
    }

    private (byte[]? Inline, string Blobs, string Meta) Row(string bucket, string key)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT inline_data, blobs, meta FROM s3_objects WHERE bucket = $b AND object_key = $k";
        command.Parameters.AddWithValue("$b", bucket);
        command.Parameters.AddWithValue("$k", key);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.IsDBNull(0) ? null : (byte[])reader[0], reader.GetString(1), reader.GetString(2));
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, command.ExecuteNonQuery());
    }

    /// <summary>The blob files an object's row names.</summary>
    private List<string> BlobFiles(string blobs) =>
        [.. Directory.EnumerateFiles(Path.Combine(fixture.Server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories).Where(f => blobs.Contains(Path.GetFileName(f), StringComparison.Ordinal))];

    [Fact]
    public async Task PutObject_SmallAndLarge_AreStoredEncryptedAndReadBackWithTheirMd5ETag()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssestore");
        var small = Pattern(1000);
        var large = Pattern((3 * Chunk) + 77);
        foreach (var (key, body) in new[] { ("small.txt", small), ("large.bin", large) })
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(body) });
            Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
            Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(body)) + "\"", put.ETag);
            var head = await s3.GetObjectMetadataAsync(bucket, key);
            Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
            Assert.Equal(body.Length, head.ContentLength);
            Assert.Equal(body, await GetBytesAsync(s3, bucket, key));
        }

        var smallRow = Row(bucket, "small.txt");
        Assert.NotNull(smallRow.Inline);
        Assert.False(ContainsMarker(smallRow.Inline));
        Assert.Equal(ChunkedAesGcm.StoredLength(small.Length), smallRow.Inline.Length);

        var largeRow = Row(bucket, "large.bin");
        Assert.Null(largeRow.Inline);
        var file = Assert.Single(BlobFiles(largeRow.Blobs));
        var stored = await File.ReadAllBytesAsync(file);
        Assert.False(ContainsMarker(stored));
        Assert.Equal(ChunkedAesGcm.StoredLength(large.Length), stored.Length);
    }

    [Fact]
    public async Task GetObject_RangesAcrossChunkBoundaries_AnswerThoseBytes()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "sserange");
        var body = RandomNumberGenerator.GetBytes((3 * Chunk) + 100);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(body) });

        foreach (var (first, last) in new (long, long)[] { (0, 0), (Chunk - 6, Chunk + 9), (Chunk, (2 * Chunk) - 1), (100, (3 * Chunk) + 50), (body.Length - 10, body.Length - 1) })
        {
            Assert.Equal(body[(int)first..(int)(last + 1)], await GetBytesAsync(s3, bucket, "k", new ByteRange(first, last)));
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData((2 * Chunk) + 3)]
    public async Task GetObject_FlippedByteOnDisk_Answers500InternalErrorNotData(int size)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "sseflip");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(Pattern(size)) });
        var row = Row(bucket, "k");
        var position = ChunkedAesGcm.HeaderSize + 10;
        if (row.Inline is { } inline)
        {
            inline[position] ^= 0x20;
            Execute("UPDATE s3_objects SET inline_data = $d WHERE bucket = $b AND object_key = 'k'", ("$d", inline), ("$b", bucket));
        }
        else
        {
            var file = Assert.Single(BlobFiles(row.Blobs));
            var stored = await File.ReadAllBytesAsync(file);
            stored[position] ^= 0x20;
            File.SetAttributes(file, FileAttributes.Normal);
            await File.WriteAllBytesAsync(file, stored);
        }

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => GetBytesAsync(s3, bucket, "k"));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("InternalError", error.ErrorCode);
    }

    [Fact]
    public async Task GetObject_FlippedByteInALaterChunk_EndsTheResponseShortNeverWithWrongBytes()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssefliplate");
        var body = Pattern((3 * Chunk) + 3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(body) });
        var file = Assert.Single(BlobFiles(Row(bucket, "k").Blobs));
        var stored = await File.ReadAllBytesAsync(file);
        stored[ChunkedAesGcm.HeaderSize + (2 * (Chunk + ChunkedAesGcm.TagSize)) + 5] ^= 0x20;
        await File.WriteAllBytesAsync(file, stored);
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "k", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });

        // The status is sent with the first chunk; the bad third chunk cuts the body short of its Content-Length.
        using var http = new HttpClient();
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetByteArrayAsync(new Uri(url)));

        // A range that starts in the bad chunk fails before the response starts.
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => GetBytesAsync(s3, bucket, "k", new ByteRange(2 * Chunk, (2 * Chunk) + 10)));
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(body[..100], await GetBytesAsync(s3, bucket, "k", new ByteRange(0, 99)));
    }

    [Fact]
    public async Task GetObject_StoredBeforeEncryption_ReadsAsStoredAndCopyInPlaceEncryptsIt()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "sselegacy");
        var body = Pattern(300);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old.txt", InputStream = new MemoryStream(body) });

        // What a server before SSE-S3 wrote: the plaintext inline, no marker in the metadata.
        Execute(
            "UPDATE s3_objects SET inline_data = $d, meta = json_remove(meta, '$.ServerSideEncryption') WHERE bucket = $b AND object_key = 'old.txt'",
            ("$d", body), ("$b", bucket));

        Assert.Equal(body, await GetBytesAsync(s3, bucket, "old.txt"));
        Assert.True(string.IsNullOrEmpty((await s3.GetObjectMetadataAsync(bucket, "old.txt")).ServerSideEncryptionMethod?.Value));

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "old.txt", DestinationBucket = bucket, DestinationKey = "old.txt", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, copy.ServerSideEncryptionMethod);
        Assert.Equal(body, await GetBytesAsync(s3, bucket, "old.txt"));
        // A copy always lands in a blob.
        var row = Row(bucket, "old.txt");
        Assert.Contains("\"ServerSideEncryption\":\"AES256\"", row.Meta, StringComparison.Ordinal);
        Assert.False(ContainsMarker(await File.ReadAllBytesAsync(Assert.Single(BlobFiles(row.Blobs)))));
    }

    [Fact]
    public async Task MultipartAndCopies_AreEncryptedAndAnswerTheHeader()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssemulti");
        var part1 = Pattern(5 * 1024 * 1024);
        var part2 = Pattern((Chunk * 2) + 5);
        var create = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "m" });
        Assert.Equal(ServerSideEncryptionMethod.AES256, create.ServerSideEncryptionMethod);
        var etags = new List<PartETag>();
        foreach (var (number, part) in new[] { (1, part1), (2, part2) })
        {
            var uploaded = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "m", UploadId = create.UploadId, PartNumber = number, InputStream = new MemoryStream(part) });
            Assert.Equal(ServerSideEncryptionMethod.AES256, uploaded.ServerSideEncryptionMethod);
            Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(part)) + "\"", uploaded.ETag);
            etags.Add(new PartETag(number, uploaded.ETag));
        }

        var complete = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "m", UploadId = create.UploadId, PartETags = etags });
        Assert.Equal(ServerSideEncryptionMethod.AES256, complete.ServerSideEncryptionMethod);
        byte[] whole = [.. part1, .. part2];
        Assert.Equal(whole, await GetBytesAsync(s3, bucket, "m"));
        Assert.Equal(whole[(part1.Length - 10)..(part1.Length + 10)], await GetBytesAsync(s3, bucket, "m", new ByteRange(part1.Length - 10, part1.Length + 9)));
        var files = BlobFiles(Row(bucket, "m").Blobs);
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.False(ContainsMarker(File.ReadAllBytes(f))));

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "m", DestinationBucket = bucket, DestinationKey = "copy" });
        Assert.Equal(ServerSideEncryptionMethod.AES256, copy.ServerSideEncryptionMethod);
        Assert.Equal(whole, await GetBytesAsync(s3, bucket, "copy"));
        Assert.False(ContainsMarker(await File.ReadAllBytesAsync(Assert.Single(BlobFiles(Row(bucket, "copy").Blobs)))));

        var second = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "partcopy" });
        var copied = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "m", DestinationBucket = bucket, DestinationKey = "partcopy", UploadId = second.UploadId, PartNumber = 1, FirstByte = part1.Length - 100, LastByte = part1.Length + 99 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, copied.ServerSideEncryptionMethod);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "partcopy", UploadId = second.UploadId, PartETags = [new PartETag(1, copied.ETag)] });
        Assert.Equal(whole[(part1.Length - 100)..(part1.Length + 100)], await GetBytesAsync(s3, bucket, "partcopy"));
    }

    public static TheoryData<Dictionary<string, string>, int, string, string?> BadHeaders() => new()
    {
        { new() { ["x-amz-server-side-encryption"] = "AES512" }, 400, "InvalidArgument", "The encryption method specified is not supported" },
        { new() { ["x-amz-server-side-encryption"] = "aes256" }, 400, "InvalidArgument", "The encryption method specified is not supported" },
        { new() { ["x-amz-server-side-encryption"] = "aws:fsx" }, 400, "InvalidArgument", "The encryption method specified is not supported" },
        {
            new() { ["x-amz-server-side-encryption"] = "AES256", ["x-amz-server-side-encryption-aws-kms-key-id"] = "alias/x" }, 400, "InvalidArgument",
            "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
        },
        { new() { ["x-amz-server-side-encryption"] = "aws:kms:dsse" }, 501, "NotImplemented", null },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task PutObject_BadEncryptionHeader_AnswersS3sErrorAndStoresNothing(Dictionary<string, string> headers, int status, string code, string? message)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssebadheader");
        foreach (var (method, path) in new[] { ("PUT", "/" + bucket + "/k"), ("POST", "/" + bucket + "/k?uploads") })
        {
            var (actual, body) = await S3SignedRequests.SendAsync(fixture.Server, method, path, method == "PUT" ? "secret" : "", headers);

            Assert.Equal(status, actual);
            Assert.Contains("<Code>" + code + "</Code>", body, StringComparison.Ordinal);
            if (message is not null)
            {
                Assert.Contains("<Message>" + message + "</Message>", body, StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);
        Assert.Empty((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
    }

    [Fact]
    public async Task PutObject_BucketDefaultKms_IsStoredUnderTheAwsManagedKeyUnlessTheRequestAsksForSseS3()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("ssekmsdefault");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = "eu-west-1" });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS } }],
            },
        });

        var kms = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, kms.ServerSideEncryptionMethod);
        Assert.StartsWith("arn:aws:kms:eu-west-1:", kms.ServerSideEncryptionKeyManagementServiceKeyId, StringComparison.Ordinal);
        Assert.Equal("x"u8.ToArray(), await GetBytesAsync(s3, bucket, "k"));

        // Asking for SSE-S3 explicitly overrides the bucket's default, as on AWS.
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task BucketPolicy_DenyWithoutTheAes256Header_RefusesPlainPutsAndAllowsEncryptedOnes()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await NewBucketAsync(s3, "ssepolicy");
        await s3.PutBucketPolicyAsync(
            bucket,
            """{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnencryptedState","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::"""
            + bucket + """/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}]}""");

        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        var wrong = await S3SignedRequests.SendAsync(fixture.Server, "PUT", "/" + bucket + "/terraform.tfstate", "{}", new Dictionary<string, string> { ["x-amz-server-side-encryption"] = "aws:kms" });
        Assert.Equal(403, wrong.Status);

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        Assert.Equal("{}"u8.ToArray(), await GetBytesAsync(s3, bucket, "terraform.tfstate"));
    }

    /// <summary>The seed's identity policy for Terraform state (examples/digital-marketplace/policies/infrastructure.yaml), as JSON.</summary>
    private const string InfrastructurePolicy = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"},
          {"Sid":"DenyUnencryptedStateWrongAlgorithm","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::digitalmarketplace-terraform-state-*/*",
           "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}},
          {"Sid":"DenyUnencryptedStateMissingHeader","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::digitalmarketplace-terraform-state-*/*",
           "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}
        """;

    [Fact]
    public async Task SeedInfrastructurePolicy_TerraformState_NeedsTheAes256Header()
    {
        var root = Cli.Root(fixture.Server);
        var name = "terraform-" + Guid.NewGuid().ToString("N")[..12];
        var user = await root.CreateUserWithKeyAsync(name);
        await root.RunAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "infrastructure", "--policy-document", InfrastructurePolicy);
        var bucket = S3Clients.UniqueBucket("digitalmarketplace-terraform-state-");
        using var rootS3 = S3Clients.Root(fixture.Server);
        await rootS3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        using var s3 = S3Clients.For(fixture.Server, user);

        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "app/terraform.tfstate", ContentBody = "{}" }));
        Assert.Equal("AccessDenied", missing.ErrorCode);

        // SSE-KMS is encryption too, but not the algorithm the seed's policy asks for.
        var kms = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "app/terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS }));
        Assert.Equal("AccessDenied", kms.ErrorCode);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "app/terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);

        // Other buckets are not the policy's business.
        var documents = await NewBucketAsync(rootS3, "digitalmarketplace-documents-");
        Assert.Equal(ServerSideEncryptionMethod.AES256, (await s3.PutObjectAsync(new PutObjectRequest { BucketName = documents, Key = "plain", ContentBody = "x" })).ServerSideEncryptionMethod);
    }
}
