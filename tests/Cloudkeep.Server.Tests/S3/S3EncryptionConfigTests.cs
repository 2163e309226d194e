using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Put/Get/DeleteBucketEncryption through AWSSDK.S3 (the happy paths) and botocore-signed raw XML
/// (what an SDK will not send): S3's default SSE-S3 configuration, its validation and its errors.
/// </summary>
public sealed class S3EncryptionConfigTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task GetBucketEncryption_NewBucket_AnswersTheSseS3Default()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("encdefault");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        var rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.False(rule.BucketKeyEnabled);
    }

    [Fact]
    public async Task PutBucketEncryption_KmsWithKey_IsStoredAndDeleteResetsToSseS3()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("enckms");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = "alias/terraform-state" },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        });

        var rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Equal("alias/terraform-state", rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(rule.BucketKeyEnabled);

        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Null(rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task BucketEncryption_MissingBucket_IsNoSuchBucket()
    {
        // Raw requests: AWSSDK.S3's GetBucketEncryption answers an empty result for a 404 instead of throwing.
        var missing = "/" + S3Clients.UniqueBucket("encmissing") + "?encryption";
        foreach (var method in new[] { "GET", "DELETE" })
        {
            var (status, body) = await S3SignedRequests.SendAsync(fixture.Server, method, missing, "");
            Assert.Equal(404, status);
            Assert.Contains("<Code>NoSuchBucket</Code>", body, StringComparison.Ordinal);
        }
    }

    private const string KmsWithKey = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/x</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>";

    public static TheoryData<string, int, string, string?> BadConfigurations() => new()
    {
        { "", 400, "MalformedXML", null },
        { KmsWithKey + KmsWithKey, 400, "MalformedXML", null },
        { "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES128</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>", 400, "MalformedXML", null },
        { "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:fsx</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>", 400, "MalformedXML", null },
        { "<Rule><ApplyServerSideEncryptionByDefault></ApplyServerSideEncryptionByDefault></Rule>", 400, "MalformedXML", null },
        { "<Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule>", 400, "MalformedXML", null },
        { "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BlockedEncryptionTypes><EncryptionType>SSE-Z</EncryptionType></BlockedEncryptionTypes></Rule>", 400, "MalformedXML", null },
        {
            "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>alias/x</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>",
            400, "InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
        },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task PutBucketEncryption_BadConfiguration_AnswersS3sErrorAndChangesNothing(string rules, int status, string code, string? message)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("encbad");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMSDSSE } }],
            },
        });

        var body = "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules + "</ServerSideEncryptionConfiguration>";
        var (actualStatus, answer) = await S3SignedRequests.SendAsync(fixture.Server, "PUT", "/" + bucket + "?encryption", body);

        Assert.Equal(status, actualStatus);
        Assert.Contains("<Code>" + code + "</Code>", answer, StringComparison.Ordinal);
        if (message is not null)
        {
            Assert.Contains("<Message>" + message + "</Message>", answer, StringComparison.Ordinal);
            Assert.Contains("<ArgumentName>ApplyServerSideEncryptionByDefault</ArgumentName>", answer, StringComparison.Ordinal);
        }

        var rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMSDSSE, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
    }
}
