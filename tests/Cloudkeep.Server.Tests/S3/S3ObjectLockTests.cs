using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Object Lock through the AWS SDK for .NET: buckets created with it, retention (GOVERNANCE and
/// COMPLIANCE, per object and by default), legal holds, the bypass and its permission, and every
/// refusal for a bucket without it. Uses the shared versioning server; each test its own bucket.
/// </summary>
public sealed class S3ObjectLockTests(S3VersioningEstate estate) : IClassFixture<S3VersioningEstate>
{
    private TestServer Server => estate.Server;

    private async Task<(AmazonS3Client S3, string Bucket)> LockedBucketAsync(string name)
    {
        var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket(name);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true });
        return (s3, bucket);
    }

    private static DateTime InDays(double days) => DateTime.UtcNow.AddDays(days);

    [Fact]
    public async Task BucketCreatedWithObjectLock_IsVersioned_AndCannotBeSuspended()
    {
        var (s3, bucket) = await LockedBucketAsync("lockcreate");
        using var client = s3;
        var configuration = await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket });
        Assert.Equal(ObjectLockEnabled.Enabled, configuration.ObjectLockConfiguration.ObjectLockEnabled);
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);

        var suspend = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        }));
        Assert.Equal(("InvalidBucketState", HttpStatusCode.Conflict), (suspend.ErrorCode, suspend.StatusCode));
    }

    [Fact]
    public async Task BucketWithoutObjectLock_RefusesEveryLockRequest_AndChangesNothing()
    {
        using var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket("nolock");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });

        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }));
        Assert.Equal(("ObjectLockConfigurationNotFoundError", HttpStatusCode.NotFound), (get.ErrorCode, get.StatusCode));
        var unversioned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket, ObjectLockConfiguration = new ObjectLockConfiguration { ObjectLockEnabled = ObjectLockEnabled.Enabled },
        }));
        Assert.Equal(("InvalidBucketState", HttpStatusCode.Conflict), (unversioned.ErrorCode, unversioned.StatusCode));
        var retention = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = bucket, Key = "k", Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Governance, RetainUntilDate = InDays(1) },
        }));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (retention.ErrorCode, retention.StatusCode));
        var hold = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
        {
            BucketName = bucket, Key = "k", LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On },
        }));
        Assert.Equal("InvalidRequest", hold.ErrorCode);
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "locked", ContentBody = "x", ObjectLockMode = ObjectLockMode.Governance, ObjectLockRetainUntilDate = InDays(1),
        }));
        Assert.Equal("InvalidRequest", put.ErrorCode);
        Assert.Equal(["k"], ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key));

        // Versioning first, then Object Lock on the existing bucket.
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 30 } },
            },
        });
        Assert.Equal(30, (await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket })).ObjectLockConfiguration.Rule.DefaultRetention.Days);
    }

    [Fact]
    public async Task Compliance_KeepsTheVersionFromEveryone_EvenRoot_ButALongerRetentionIsFine()
    {
        var (s3, bucket) = await LockedBucketAsync("compliance");
        using var client = s3;
        var until = InDays(2);
        var version = (await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "dump.sql.gz", ContentBody = "dump", ObjectLockMode = ObjectLockMode.Compliance, ObjectLockRetainUntilDate = until,
        })).VersionId;
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "dump.sql.gz" });
        Assert.Equal(ObjectLockMode.Compliance, head.ObjectLockMode);
        Assert.Equal(until.ToString("yyyy-MM-ddTHH:mm:ss"), head.ObjectLockRetainUntilDate?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss"));

        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dump.sql.gz", VersionId = version, BypassGovernanceRetention = true }));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (delete.ErrorCode, delete.StatusCode));
        var shorten = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = bucket, Key = "dump.sql.gz", VersionId = version, BypassGovernanceRetention = true,
            Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = InDays(1) },
        }));
        Assert.Equal("AccessDenied", shorten.ErrorCode);
        await s3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = bucket, Key = "dump.sql.gz", VersionId = version,
            Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = InDays(10) },
        });

        // A delete marker is not a deletion of the version: it is allowed, and the dump survives.
        Assert.Equal("true", (await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dump.sql.gz" })).DeleteMarker);
        var batch = await Assert.ThrowsAsync<DeleteObjectsException>(() => s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "dump.sql.gz", VersionId = version }] }));
        Assert.Equal("AccessDenied", batch.Response.DeleteErrors.Single().Code);
        using var read = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "dump.sql.gz", VersionId = version });
        Assert.Equal("dump", await new StreamReader(read.ResponseStream).ReadToEndAsync());
        var retention = await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "dump.sql.gz", VersionId = version });
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);
    }

    [Fact]
    public async Task Governance_YieldsOnlyToTheBypass_WithItsPermission()
    {
        var (s3, bucket) = await LockedBucketAsync("governance");
        using var client = s3;
        await s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1 } },
            },
        });
        var first = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "1" })).VersionId;
        var second = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "2" })).VersionId;
        Assert.Equal(ObjectLockMode.Governance, (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc" })).ObjectLockMode);

        var root = Cli.Root(Server);
        var name = "ci-" + Guid.NewGuid().ToString("N")[..8];
        var ci = await root.CreateUserWithKeyAsync(name);
        await root.RunAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "s3", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:DeleteObjectVersion","s3:GetObject"],"Resource":"*"}]}""");
        using var ciClient = S3Clients.For(Server, new BasicAWSCredentials(ci.AccessKeyId, ci.SecretAccessKey));

        var plain = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = first }));
        Assert.Equal("AccessDenied", plain.ErrorCode);
        var withoutPermission = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ciClient.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = first, BypassGovernanceRetention = true }));
        Assert.Equal("AccessDenied", withoutPermission.ErrorCode);

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = first, BypassGovernanceRetention = true });
        Assert.Equal([second], (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Select(v => v.VersionId));

        // A legal hold keeps a version whatever its retention, until lifted.
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = bucket, Key = "doc", VersionId = second, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On } });
        Assert.Equal(ObjectLockLegalHoldStatus.On, (await s3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = bucket, Key = "doc", VersionId = second })).LegalHold.Status);
        var held = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = second, BypassGovernanceRetention = true }));
        Assert.Equal("AccessDenied", held.ErrorCode);
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = bucket, Key = "doc", VersionId = second, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.Off } });
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = second, BypassGovernanceRetention = true });
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions ?? []);
    }

    [Fact]
    public async Task BadLockInput_IsRefusedWithS3sErrors_AndChangesNothing()
    {
        var (s3, bucket) = await LockedBucketAsync("lockbad");
        using var client = s3;
        var pastDate = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "k", ContentBody = "x", ObjectLockMode = ObjectLockMode.Governance, ObjectLockRetainUntilDate = InDays(-1),
        }));
        Assert.Equal(("InvalidArgument", HttpStatusCode.BadRequest), (pastDate.ErrorCode, pastDate.StatusCode));
        var modeOnly = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "k", ContentBody = "x", ObjectLockMode = ObjectLockMode.Governance,
        }));
        Assert.Equal("InvalidArgument", modeOnly.ErrorCode);
        var both = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1, Years = 1 } },
            },
        }));
        Assert.Equal("MalformedXML", both.ErrorCode);
        var negative = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = -3 } },
            },
        }));
        Assert.Equal("InvalidArgument", negative.ErrorCode);

        Assert.Null((await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket })).ObjectLockConfiguration.Rule);
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions ?? []);
        var noRetention = await Assert.ThrowsAnyAsync<AmazonS3Exception>(async () =>
        {
            var version = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "free", ContentBody = "x" })).VersionId;
            await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "free", VersionId = version });
        });
        Assert.Equal(("NoSuchObjectLockConfiguration", HttpStatusCode.NotFound), (noRetention.ErrorCode, noRetention.StatusCode));
    }
}
