using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.Kms;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// SSE-KMS through AWSSDK.S3, boto3 and the AWS CLI: data keys made and opened by Cloudkeep's KMS as
/// the caller, so kms:GenerateDataKey and kms:Decrypt are decided by the key policy with the
/// caller's identity policies (across accounts too), a disabled or pending-deletion key makes the
/// object unreadable with KMS's error as S3 reports it, and the headers and condition keys are S3's.
/// </summary>
public sealed class S3EncryptionKmsTests(S3AccessEstate estate) : IClassFixture<S3AccessEstate>
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("CLOUDKEEP-KMS-PLAINTEXT;", 4000));

    private AmazonS3Client RootS3() => S3Clients.Root(estate.Server);

    private AmazonKeyManagementServiceClient RootKms() => KmsClients.Kms(estate.Server);

    private static AmazonKeyManagementServiceClient KmsFor(Testing.TestServer server, Cli cli) =>
        new(cli.SessionToken is null ? new BasicAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey) : new SessionAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey, cli.SessionToken), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = server.Endpoint,
            AuthenticationRegion = KmsClients.Region,
            MaxErrorRetry = 0,
        });

    private static async Task<string> NewBucketAsync(AmazonS3Client s3, string prefix)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = KmsClients.Region });
        return bucket;
    }

    private static async Task<string> ReadAsync(AmazonS3Client s3, string bucket, string key, ByteRange? range = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private string Meta(string bucket, string key)
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(estate.Server.DataDirectory, "cloudkeep.db"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT meta FROM s3_objects WHERE bucket = $b AND object_key = $k";
        command.Parameters.AddWithValue("$b", bucket);
        command.Parameters.AddWithValue("$k", key);
        return (string)command.ExecuteScalar()!;
    }

    private byte[] StoredBytes(string bucket, string key)
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(estate.Server.DataDirectory, "cloudkeep.db"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT inline_data, blobs FROM s3_objects WHERE bucket = $b AND object_key = $k";
        command.Parameters.AddWithValue("$b", bucket);
        command.Parameters.AddWithValue("$k", key);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        if (!reader.IsDBNull(0))
        {
            return (byte[])reader[0];
        }

        var blobs = reader.GetString(1);
        var files = Directory.EnumerateFiles(Path.Combine(estate.Server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories)
            .Where(f => blobs.Contains(Path.GetFileName(f), StringComparison.Ordinal));
        return [.. files.SelectMany(File.ReadAllBytes)];
    }

    [Fact]
    public async Task PutObject_AwsKmsWithAKey_RoundTripsAndAnswersTheKeyArnOnEveryRead()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("documents");
        var bucket = await NewBucketAsync(s3, "kmsround");

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.txt", ContentBody = Text, ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId });
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, put.ServerSideEncryptionMethod);
        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.NotEqual(true, put.BucketKeyEnabled);
        Assert.Matches("^\"[0-9a-f]{32}\"$", put.ETag);
        Assert.NotEqual("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(Text))) + "\"", put.ETag);

        using (var get = await s3.GetObjectAsync(bucket, "doc.txt"))
        {
            Assert.Equal(ServerSideEncryptionMethod.AWSKMS, get.ServerSideEncryptionMethod);
            Assert.Equal(key.Arn, get.ServerSideEncryptionKeyManagementServiceKeyId);
        }

        var head = await s3.GetObjectMetadataAsync(bucket, "doc.txt");
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(Text, await ReadAsync(s3, bucket, "doc.txt"));
        Assert.Equal(Text[70_000..70_100], await ReadAsync(s3, bucket, "doc.txt", new ByteRange(70_000, 70_099)));

        // On disk: ciphertext only; the metadata keeps KMS's ciphertext blob of the data key, never the key itself.
        Assert.Equal(-1, StoredBytes(bucket, "doc.txt").AsSpan().IndexOf("CLOUDKEEP-KMS"u8));
        var meta = Meta(bucket, "doc.txt");
        Assert.Contains("\"SSEKMSDataKey\"", meta, StringComparison.Ordinal);
        Assert.Contains(key.Arn, meta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutObject_AwsKmsWithoutAKey_UsesTheAccountsAwsManagedKeyCreatedOnFirstUse()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var bucket = await NewBucketAsync(s3, "kmsmanaged");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "a", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS });
        var again = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b", ContentBody = "b", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, BucketKeyEnabled = true });

        Assert.Equal(put.ServerSideEncryptionKeyManagementServiceKeyId, again.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(again.BucketKeyEnabled);
        var managed = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/s3" });
        Assert.Equal(put.ServerSideEncryptionKeyManagementServiceKeyId, managed.KeyMetadata.Arn);
        Assert.Equal("Default key that protects my S3 objects when no other key is defined", managed.KeyMetadata.Description);
        Assert.Equal("b", await ReadAsync(s3, bucket, "b"));
        Assert.True((await s3.GetObjectMetadataAsync(bucket, "b")).BucketKeyEnabled);
    }

    [Fact]
    public async Task DescribeKey_AwsS3AliasBeforeFirstUse_CreatesTheAwsManagedKeyThatSseKmsThenUses()
    {
        using var kms = new AmazonKeyManagementServiceClient(
            new BasicAWSCredentials(Testing.TestServer.RootAccessKeyId, Testing.TestServer.RootSecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = estate.Server.Endpoint, AuthenticationRegion = "eu-north-1", MaxErrorRetry = 0 });
        var described = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/s3" })).KeyMetadata;
        Assert.Equal(KeyManagerType.AWS, described.KeyManager);
        Assert.StartsWith("arn:aws:kms:eu-north-1:", described.Arn, StringComparison.Ordinal);
        Assert.Equal(KeyManagerType.CUSTOMER, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = (await kms.NewKeyAsync()).KeyId })).KeyMetadata.KeyManager);
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/notaservice" }))).ErrorCode);

        using var s3 = RootS3();
        var bucket = S3Clients.UniqueBucket("kmsnorth");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = "eu-north-1" });
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS });
        Assert.Equal(described.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task PutObject_KeyInAnotherRegionThanTheBucket_IsNotFoundAsS3AsksKmsInTheBucketsRegion()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("eu-west-1 only");
        var bucket = S3Clients.UniqueBucket("kmsregion");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = "eu-west-2" });

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("KMS.NotFoundException", refused.ErrorCode);

        // Without a key, the account's aws/s3 key of the bucket's region is made and used.
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS });
        Assert.StartsWith("arn:aws:kms:eu-west-2:", put.ServerSideEncryptionKeyManagementServiceKeyId, StringComparison.Ordinal);
        Assert.Equal("x", await ReadAsync(s3, bucket, "k"));
    }

    [Fact]
    public async Task MultipartAndCopy_DataKeyChosenAtCreation_CopiesDecryptTheSourceAndEncryptPerTheDestination()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var first = await kms.NewKeyAsync("first");
        var second = await kms.NewKeyAsync("second");
        var bucket = await NewBucketAsync(s3, "kmsmulti");
        var create = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "m", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = first.Arn });
        Assert.Equal(first.Arn, create.ServerSideEncryptionKeyManagementServiceKeyId);
        var part1 = new string('p', 5 * 1024 * 1024);
        var part2 = "the last part";
        var etags = new List<PartETag>();
        foreach (var (number, body) in new[] { (1, part1), (2, part2) })
        {
            var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "m", UploadId = create.UploadId, PartNumber = number, InputStream = new MemoryStream(Encoding.ASCII.GetBytes(body)) });
            Assert.Equal(ServerSideEncryptionMethod.AWSKMS, part.ServerSideEncryptionMethod);
            Assert.Equal(first.Arn, part.SSEKMSKeyId);
            etags.Add(new PartETag(number, part.ETag));
        }

        var complete = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "m", UploadId = create.UploadId, PartETags = etags });
        Assert.Equal(first.Arn, complete.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "m"));

        // A copy names its own encryption; without any it gets the destination bucket's default (SSE-S3 here).
        var toSecond = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "m", DestinationBucket = bucket, DestinationKey = "c2", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = second.KeyId });
        Assert.Equal(second.Arn, toSecond.ServerSideEncryptionKeyManagementServiceKeyId);
        var toDefault = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "c2", DestinationBucket = bucket, DestinationKey = "c3" });
        Assert.Equal(ServerSideEncryptionMethod.AES256, toDefault.ServerSideEncryptionMethod);
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "c2"));
        Assert.Equal(part1 + part2, await ReadAsync(s3, bucket, "c3"));
        Assert.DoesNotContain("SSEKMS", Meta(bucket, "c3"), StringComparison.Ordinal);

        // UploadPartCopy from a KMS object into an SSE-S3 upload.
        var plain = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "pc" });
        var copied = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "c2", DestinationBucket = bucket, DestinationKey = "pc", UploadId = plain.UploadId, PartNumber = 1, FirstByte = part1.Length - 3, LastByte = part1.Length + 2 });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "pc", UploadId = plain.UploadId, PartETags = [new PartETag(1, copied.ETag)] });
        Assert.Equal("pppthe", await ReadAsync(s3, bucket, "pc"));
    }

    [Fact]
    public async Task GetObject_CallerWithoutKmsDecrypt_IsDeniedWhileOneWithItReads()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("restricted");
        var bucket = await NewBucketAsync(s3, "kmsdecrypt");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var writer = await S3AccessEstate.CreateWithPolicyAsync(estate.Root, "kms-writer-" + suffix, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"},
              {"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"{{key.Arn}}"}]}
            """);
        var reader = await S3AccessEstate.CreateWithPolicyAsync(estate.Root, "kms-reader-" + suffix, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
              {"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{key.Arn}}"}]}
            """);
        var noKms = await S3AccessEstate.CreateWithPolicyAsync(estate.Root, "kms-none-" + suffix, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}""");

        using var writerS3 = S3Clients.For(estate.Server, writer);
        using var readerS3 = S3Clients.For(estate.Server, reader);
        using var noKmsS3 = S3Clients.For(estate.Server, noKms);
        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret", ContentBody = "payroll", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn });

        // The writer may make data keys but not open them.
        var writerRead = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(writerS3, bucket, "secret"));
        Assert.Equal(HttpStatusCode.Forbidden, writerRead.StatusCode);
        Assert.Equal("AccessDenied", writerRead.ErrorCode);
        Assert.Contains("kms:Decrypt", writerRead.Message, StringComparison.Ordinal);

        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(noKmsS3, bucket, "secret"));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        // HEAD answers metadata without asking KMS; a write without kms:GenerateDataKey is refused and stores nothing.
        Assert.Equal(key.Arn, (await noKmsS3.GetObjectMetadataAsync(bucket, "secret")).ServerSideEncryptionKeyManagementServiceKeyId);
        var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => noKmsS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "other", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn }));
        Assert.Equal("AccessDenied", write.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "other"))).StatusCode);

        Assert.Equal("payroll", await ReadAsync(readerS3, bucket, "secret"));
    }

    [Fact]
    public async Task GetObject_DisabledOrPendingDeletionKey_AnswersKmsErrorUntilTheKeyIsUsableAgain()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("switchable");
        var bucket = await NewBucketAsync(s3, "kmsstate");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "state", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId });

        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var disabled = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "k"));
        Assert.Equal(HttpStatusCode.BadRequest, disabled.StatusCode);
        Assert.Equal("KMS.DisabledException", disabled.ErrorCode);
        Assert.Equal($"{key.Arn} is disabled.", disabled.Message);
        var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId }));
        Assert.Equal("KMS.DisabledException", write.ErrorCode);

        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("state", await ReadAsync(s3, bucket, "k"));

        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var pending = await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "k"));
        Assert.Equal("KMS.KMSInvalidStateException", pending.ErrorCode);
        Assert.Equal($"{key.Arn} is pending deletion.", pending.Message);

        // Cancelling leaves the key disabled (as KMS does); enabling it makes the object readable again.
        await kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
        Assert.Equal("KMS.DisabledException", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3, bucket, "k"))).ErrorCode);
        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("state", await ReadAsync(s3, bucket, "k"));
    }

    [Fact]
    public async Task CrossAccountKey_NeedsTheKeyPolicyAndTheCallersIdentityPolicy()
    {
        using var kms = RootKms();
        var mainAccount = (await estate.Root.RunAsync("sts", "get-caller-identity")).GetProperty("Account").GetString()!;
        var key = await kms.NewKeyAsync("shared with partner");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var partnerUser = await S3AccessEstate.CreateWithPolicyAsync(estate.PartnerAdmin, "kms-partner-" + suffix, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"},
              {"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"{{key.Arn}}"}]}
            """);
        using var partnerS3 = S3Clients.For(estate.Server, partnerUser);
        var bucket = await NewBucketAsync(partnerS3, "kmscross");

        // The key policy names only its own account: the partner's identity policy alone is not enough.
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => partnerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn }));
        Assert.Equal("AccessDenied", refused.ErrorCode);

        var shared = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{mainAccount}}:root"},"Action":"kms:*","Resource":"*"},
              {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{estate.PartnerAccount}}:root"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}
            """;
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default", Policy = shared });
        var put = await partnerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "across", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn });
        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("across", await ReadAsync(partnerS3, bucket, "x"));

        // Another partner user the key policy allows (by account) but its own policy does not: denied.
        var partnerS3Only = await S3AccessEstate.CreateWithPolicyAsync(estate.PartnerAdmin, "kms-partner-s3-" + suffix, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        using var s3Only = S3Clients.For(estate.Server, partnerS3Only);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(s3Only, bucket, "x"))).ErrorCode);

        // The key's owner takes the grant back: the partner's object is unreadable to it.
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default", Policy = KmsDefaultPolicy(mainAccount) });
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(partnerS3, bucket, "x"))).ErrorCode);
    }

    [Fact]
    public async Task KeyPolicy_ViaServiceS3_LetsTheUserUseTheKeyThroughS3Only()
    {
        using var kms = RootKms();
        var mainAccount = (await estate.Root.RunAsync("sts", "get-caller-identity")).GetProperty("Account").GetString()!;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = await S3AccessEstate.CreateWithPolicyAsync(estate.Root, "kms-via-s3-" + suffix, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        var key = await kms.NewKeyAsync("through S3 only");
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
        {
            KeyId = key.KeyId,
            PolicyName = "default",
            Policy = $$"""
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{mainAccount}}:root"},"Action":"kms:*","Resource":"*"},
                  {"Sid":"ThroughS3","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{mainAccount}}:user/kms-via-s3-{{suffix}}"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
                   "Condition":{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"} } }]}
                """,
        });

        using var s3 = S3Clients.For(estate.Server, user);
        var bucket = await NewBucketAsync(s3, "kmsvia");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "via s3", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn });
        Assert.Equal("via s3", await ReadAsync(s3, bucket, "k"));

        using var direct = KmsFor(estate.Server, user);
        var refused = await KmsClients.FailsAsync(() => direct.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.Arn, KeySpec = DataKeySpec.AES_256 }));
        Assert.Equal("AccessDeniedException", refused.ErrorCode);
    }

    private static string KmsDefaultPolicy(string account) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"kms:*","Resource":"*"}]}""";

    [Fact]
    public async Task AwsManagedKey_OtherAccountsCannotUseIt()
    {
        using var s3 = RootS3();
        var bucket = await NewBucketAsync(s3, "kmsmanagedx");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "mine", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS });
        await s3.PutBucketPolicyAsync(bucket, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{estate.PartnerAccount}}:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");

        // The bucket policy lets the partner read, but aws/s3's key policy only serves its own account.
        using var reader = S3Clients.For(estate.Server, estate.Reader);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => ReadAsync(reader, bucket, "k"))).ErrorCode);
        Assert.Equal("mine", await ReadAsync(s3, bucket, "k"));
    }

    [Fact]
    public async Task BucketPolicy_DenyUnlessAwsKmsWithTheGivenKey_RefusesOtherWritesAndAllowsThose()
    {
        using var s3 = RootS3();
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("state");
        var bucket = await NewBucketAsync(s3, "digitalmarketplace-terraform-state-kms");
        await s3.PutBucketPolicyAsync(bucket, $$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"DenyUnencryptedState","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/*",
               "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"} } },
              {"Sid":"DenyOtherKeys","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/*",
               "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"{{key.Arn}}"} } }]}
            """);

        foreach (var request in new[]
        {
            new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}" },
            new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 },
            new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS },
        })
        {
            Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(request))).ErrorCode);
        }

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "terraform.tfstate", ContentBody = "{}", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn });
        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("{}", await ReadAsync(s3, bucket, "terraform.tfstate"));
    }

    [Fact]
    public async Task SigV2AndPostUploads_AwsKms_SigV2IsRefusedAndAPostFormsFieldsAreHonoured()
    {
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("post");
        using var s3 = RootS3();
        var bucket = await NewBucketAsync(s3, "kmssigv2");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "kms", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.Arn });
        var result = await Boto3.RunAsync(estate.Server, $$"""
            import urllib.request, urllib.error
            from botocore.config import Config
            def fetch(url, data=None, headers={}):
                try:
                    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers)) as r:
                        return r.status, r.read().decode()
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode()
            v2 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(signature_version='s3'))
            v4 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(signature_version='s3v4'))
            sigv2 = fetch(v2.generate_presigned_url('get_object', Params={'Bucket': '{{bucket}}', 'Key': 'k'}))
            sigv4 = fetch(v4.generate_presigned_url('get_object', Params={'Bucket': '{{bucket}}', 'Key': 'k'}))
            fields = {'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': '{{key.Arn}}'}
            post = v4.generate_presigned_post('{{bucket}}', 'posted', Fields=fields, Conditions=[{k: v} for k, v in fields.items()])
            boundary = 'ckboundary'
            body = b''.join(('--' + boundary + '\r\nContent-Disposition: form-data; name="' + k + '"\r\n\r\n' + v + '\r\n').encode() for k, v in post['fields'].items())
            body += ('--' + boundary + '\r\nContent-Disposition: form-data; name="file"; filename="f.txt"\r\n\r\nposted bytes\r\n--' + boundary + '--\r\n').encode()
            posted = fetch(post['url'], body, {'Content-Type': 'multipart/form-data; boundary=' + boundary})
            head = v4.head_object(Bucket='{{bucket}}', Key='posted') if posted[0] == 204 else {}
            print(json.dumps({'sigv2': sigv2, 'sigv4': sigv4, 'post': posted, 'sse': head.get('ServerSideEncryption'), 'key': head.get('SSEKMSKeyId')}))
            """);
        Assert.Equal(400, result.GetProperty("sigv2")[0].GetInt32());
        Assert.Contains("<Message>Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.</Message>", result.GetProperty("sigv2")[1].GetString(), StringComparison.Ordinal);
        Assert.Equal(200, result.GetProperty("sigv4")[0].GetInt32());
        Assert.Equal("kms", result.GetProperty("sigv4")[1].GetString());
        Assert.True(result.GetProperty("post")[0].GetInt32() == 204, result.GetProperty("post")[1].GetString());
        Assert.Equal("aws:kms", result.GetProperty("sse").GetString());
        Assert.Equal(key.Arn, result.GetProperty("key").GetString());
        Assert.Equal("posted bytes", await ReadAsync(s3, bucket, "posted"));
    }

    [Fact]
    public async Task Boto3AndCli_AwsKms_RoundTripWithTheirOwnHeaders()
    {
        using var kms = RootKms();
        var key = await kms.NewKeyAsync("tools");
        using var s3 = RootS3();
        var bucket = await NewBucketAsync(s3, "kmstools");
        var result = await Boto3.RunAsync(estate.Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            put = s3.put_object(Bucket='{{bucket}}', Key='boto', Body=b'from boto3', ServerSideEncryption='aws:kms', SSEKMSKeyId='{{key.KeyId}}',
                                SSEKMSEncryptionContext=__import__('base64').b64encode(b'{"project":"estate"}').decode())
            get = s3.get_object(Bucket='{{bucket}}', Key='boto')
            head = s3.head_object(Bucket='{{bucket}}', Key='boto')
            print(json.dumps({'put': put['SSEKMSKeyId'], 'sse': get['ServerSideEncryption'], 'body': get['Body'].read().decode(), 'head': head['SSEKMSKeyId']}))
            """);
        Assert.Equal(key.Arn, result.GetProperty("put").GetString());
        Assert.Equal("aws:kms", result.GetProperty("sse").GetString());
        Assert.Equal("from boto3", result.GetProperty("body").GetString());
        Assert.Equal(key.Arn, result.GetProperty("head").GetString());

        var file = Path.Combine(Path.GetTempPath(), "ck-kms-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "from the cli");
        try
        {
            var cliPut = await estate.Root.RunAsync("s3api", "put-object", "--bucket", bucket, "--key", "cli", "--body", file, "--server-side-encryption", "aws:kms", "--ssekms-key-id", key.Arn);
            Assert.Equal(key.Arn, cliPut.GetProperty("SSEKMSKeyId").GetString());
            await estate.Root.RunAsync("s3", "cp", "--only-show-errors", file, $"s3://{bucket}/cp", "--sse", "aws:kms", "--sse-kms-key-id", key.KeyId);
            var head = await estate.Root.RunAsync("s3api", "head-object", "--bucket", bucket, "--key", "cp");
            Assert.Equal("aws:kms", head.GetProperty("ServerSideEncryption").GetString());
            Assert.Equal(key.Arn, head.GetProperty("SSEKMSKeyId").GetString());
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal("from the cli", await ReadAsync(s3, bucket, "cp"));
    }
}
