using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.Kms;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// SSE-KMS objects replicate as S3 replicates them: the rule's role decrypts the source's data key
/// (kms:Decrypt on the source key) and makes the replica's under the rule's ReplicaKmsKeyID
/// (kms:Encrypt), each decided by that key's policy; the replica is then readable only to those the
/// destination key allows. A role without those KMS permissions leaves the version FAILED.
/// </summary>
public sealed class S3EncryptionReplicationTests(S3ReplicationEstate estate) : IClassFixture<S3ReplicationEstate>
{
    private const string TrustS3 = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private AmazonKeyManagementServiceClient Kms(string region) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = estate.Server.Endpoint,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
        });

    private async Task<string> VersionedBucketAsync(AmazonS3Client s3, string prefix, string region)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = region });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        return bucket;
    }

    private async Task<string> RoleAsync(string name, string policy)
    {
        await estate.Root.RunAsync("iam", "create-role", "--role-name", name, "--assume-role-policy-document", TrustS3);
        await estate.Root.RunAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "replication", "--policy-document", policy);
        return estate.RoleArn(name);
    }

    private static string ReplicationPolicy(string kmsStatements) => $$"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:GetObjectVersionTagging","s3:ReplicateObject","s3:ReplicateDelete","s3:ReplicateTags"],"Resource":"*"}{{kmsStatements}}]}
        """;

    private static async Task<string?> SettledStatusAsync(IAmazonS3 s3, string bucket, string key, string versionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId })).ReplicationStatus?.Value;
            if (status != "PENDING" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> BodyAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private async Task PutReplicationAsync(string source, string role, string destination, string replicaKey)
    {
        var configuration = $$"""
            {"Role":"{{role}}","Rules":[{"ID":"kms","Priority":1,"Status":"Enabled","Filter":{"Prefix":""},
              "DeleteMarkerReplication":{"Status":"Disabled"},
              "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"} },
              "Destination":{"Bucket":"arn:aws:s3:::{{destination}}","EncryptionConfiguration":{"ReplicaKmsKeyID":"{{replicaKey}}"} } }]}
            """;
        await estate.Root.RunAsync("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration", configuration);
    }

    [Fact]
    public async Task Replication_SseKmsObject_IsReencryptedUnderTheReplicaKey_AndReadableOnlyToThoseThatKeyAllows()
    {
        using var sourceKms = Kms("eu-west-1");
        using var destinationKms = Kms("eu-west-2");
        var sourceKey = await sourceKms.NewKeyAsync("documents, eu-west-1");
        var replicaKey = await destinationKms.NewKeyAsync("documents replica, eu-west-2");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var role = await RoleAsync("kms-replication-" + suffix, ReplicationPolicy($$"""
            ,{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{sourceKey.Arn}}"},
             {"Effect":"Allow","Action":"kms:Encrypt","Resource":"{{replicaKey.Arn}}"}
            """));
        using var s3 = S3Clients.Root(estate.Server);
        var source = await VersionedBucketAsync(s3, "repl-kms-src", "eu-west-1");
        var destination = await VersionedBucketAsync(s3, "repl-kms-dst", "eu-west-2");
        await PutReplicationAsync(source, role, destination, replicaKey.Arn);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = source, Key = "agreements/1.pdf", ContentBody = "signed agreement",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = sourceKey.Arn,
        });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "agreements/1.pdf", put.VersionId));

        var replica = await s3.GetObjectMetadataAsync(destination, "agreements/1.pdf");
        Assert.Equal("REPLICA", replica.ReplicationStatus?.Value);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, replica.ServerSideEncryptionMethod);
        Assert.Equal(replicaKey.Arn, replica.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("signed agreement", await BodyAsync(s3, destination, "agreements/1.pdf"));

        // A reader the source key allows but the replica key does not reads the source only.
        var reader = await estate.Root.CreateUserWithKeyAsync("kms-source-reader-" + suffix);
        await estate.Root.RunAsync("iam", "put-user-policy", "--user-name", "kms-source-reader-" + suffix, "--policy-name", "read", "--policy-document", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"*"},
              {"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{sourceKey.Arn}}"}]}
            """);
        using var readerS3 = S3Clients.For(estate.Server, reader);
        Assert.Equal("signed agreement", await BodyAsync(readerS3, source, "agreements/1.pdf"));
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => BodyAsync(readerS3, destination, "agreements/1.pdf"))).ErrorCode);
    }

    [Fact]
    public async Task Replication_SseKmsObject_RoleWithoutKmsPermissions_MarksTheVersionFailed()
    {
        using var sourceKms = Kms("eu-west-1");
        using var destinationKms = Kms("eu-west-2");
        var sourceKey = await sourceKms.NewKeyAsync("no role grant");
        var replicaKey = await destinationKms.NewKeyAsync("no role grant, replica");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var role = await RoleAsync("s3-only-replication-" + suffix, ReplicationPolicy(""));
        using var s3 = S3Clients.Root(estate.Server);
        var source = await VersionedBucketAsync(s3, "repl-kmsno-src", "eu-west-1");
        var destination = await VersionedBucketAsync(s3, "repl-kmsno-dst", "eu-west-2");
        await PutReplicationAsync(source, role, destination, replicaKey.Arn);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = source, Key = "k", ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = sourceKey.Arn,
        });
        Assert.Equal("FAILED", await SettledStatusAsync(s3, source, "k", put.VersionId));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(destination, "k"))).StatusCode);

        // An SSE-S3 object under the same role replicates: only the KMS step was refused.
        var plain = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "plain", ContentBody = "y" });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "plain", plain.VersionId));
    }
}
