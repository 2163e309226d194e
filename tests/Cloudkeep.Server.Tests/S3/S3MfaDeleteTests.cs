using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.Tls;
using Cloudkeep.Testing;
using OtpNet;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// The seed's production documents bucket with MFA delete, over HTTPS: root gives itself a virtual
/// MFA device through IAM, turns MFA delete on with a code; a developer with every S3 permission
/// cannot destroy a version; root with a fresh code can, a replayed code cannot; the header must be
/// well formed and come over HTTPS; only root may change MFA delete.
/// </summary>
public class S3MfaDeleteEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal readonly ShiftableClock Clock = new();
    private readonly TempDirectory _work = new();
    internal TestServer Server = null!;
    internal Totp Totp = null!;
    internal string Serial = "";
    internal Cli Developer = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), time: Clock, tls: true, plainHttpToo: true);
        var root = new Cli(Server.HttpEndpoint!, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
        var seedFile = Path.Combine(_work.Path, "root-seed");
        var device = (await root.RunAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "root-device", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
        Serial = device.GetProperty("SerialNumber").GetString()!;
        Totp = new Totp(Base32Encoding.ToBytes((await File.ReadAllTextAsync(seedFile)).Trim()));
        await root.RunAsync("iam", "enable-mfa-device", "--user-name", "root", "--serial-number", Serial,
            "--authentication-code1", Totp.ComputeTotp(Clock.GetUtcNow().UtcDateTime), "--authentication-code2", Totp.ComputeTotp(Clock.GetUtcNow().UtcDateTime.AddSeconds(30)));
        NextStep();
        NextStep();

        await root.RunAsync("iam", "create-group", "--group-name", "developers");
        await root.RunAsync("iam", "put-group-policy", "--group-name", "developers", "--policy-name", "s3", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        Developer = await root.CreateUserWithKeyAsync("developer", "developers");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _work.Dispose();
    }

    /// <summary>
    /// The code of the current step; the clock then moves to the next step, where the code is still
    /// within the server's window and any later code is fresh (a code is good once per step).
    /// </summary>
    internal string Code()
    {
        var code = Totp.ComputeTotp(Clock.GetUtcNow().UtcDateTime);
        NextStep();
        return code;
    }

    internal void NextStep() => Clock.Offset += TimeSpan.FromSeconds(30);
}

/// <summary>The tests of <see cref="S3MfaDeleteEstate"/>, run in turn: each moves the shared clock past the codes it used.</summary>
public abstract class S3MfaDeleteTests(S3MfaDeleteEstate estate)
{
    private TestServer Server => estate.Server;

    private string Serial => estate.Serial;

    private string Code() => estate.Code();

    private AmazonS3Client Root() => TlsClients.S3(Server, Server.CaFile!);

    private AmazonS3Client Developer() => TlsClients.S3(Server, Server.CaFile!, new BasicAWSCredentials(estate.Developer.AccessKeyId, estate.Developer.SecretAccessKey));

    private async Task<(string Bucket, string OldVersion)> MfaBucketAsync(AmazonS3Client root)
    {
        var bucket = S3Clients.UniqueBucket("documents");
        await root.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await root.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true },
            MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = Code() },
        });
        var old = (await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "agreement.pdf", ContentBody = "v1" })).VersionId;
        await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "agreement.pdf", ContentBody = "v2" });
        return (bucket, old);
    }

    [Fact]
    public async Task MfaDelete_DeveloperCannotDestroyAVersion_RootWithAFreshCodeCan_AReplayedCodeCannot()
    {
        using var root = Root();
        using var developer = Developer();
        var (bucket, old) = await MfaBucketAsync(root);
        var versioning = await root.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket });
        Assert.True(versioning.VersioningConfig.EnableMfaDelete);

        var withoutCode = await Assert.ThrowsAsync<AmazonS3Exception>(() => developer.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "agreement.pdf", VersionId = old }));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden, "Mfa Authentication must be used for this request"), (withoutCode.ErrorCode, withoutCode.StatusCode, withoutCode.Message));
        var guessed = await Assert.ThrowsAsync<AmazonS3Exception>(() => developer.DeleteObjectAsync(new DeleteObjectRequest
        {
            BucketName = bucket, Key = "agreement.pdf", VersionId = old, MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = "000000" },
        }));
        Assert.Equal("AccessDenied", guessed.ErrorCode);
        var batch = await Assert.ThrowsAsync<AmazonS3Exception>(() => developer.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "agreement.pdf", VersionId = old }] }));
        Assert.Equal("AccessDenied", batch.ErrorCode);

        // A delete marker destroys nothing: MFA delete does not ask for a code.
        Assert.Equal("true", (await developer.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "agreement.pdf" })).DeleteMarker);
        Assert.Equal(3, (await root.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Count);

        var code = Code();
        await root.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "agreement.pdf", VersionId = old, MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = code } });
        Assert.Equal(2, (await root.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Count);

        var newest = (await root.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Last().VersionId;
        var replayed = await Assert.ThrowsAsync<AmazonS3Exception>(() => root.DeleteObjectAsync(new DeleteObjectRequest
        {
            BucketName = bucket, Key = "agreement.pdf", VersionId = newest, MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = code },
        }));
        Assert.Equal("AccessDenied", replayed.ErrorCode);
        Assert.Equal(2, (await root.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Count);
    }

    [Fact]
    public async Task MfaDelete_VersioningChanges_NeedRootsCode_AndOnlyRootMayChangeMfaDelete()
    {
        using var root = Root();
        using var developer = Developer();
        var (bucket, _) = await MfaBucketAsync(root);

        var suspend = await Assert.ThrowsAsync<AmazonS3Exception>(() => developer.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        }));
        Assert.Equal("AccessDenied", suspend.ErrorCode);
        var byDeveloper = await Assert.ThrowsAsync<AmazonS3Exception>(() => developer.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = false },
            MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = Code() },
        }));
        Assert.Equal("AccessDenied", byDeveloper.ErrorCode);
        Assert.True((await root.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.EnableMfaDelete);

        await root.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = false },
            MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = Code() },
        });
        Assert.False((await root.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.EnableMfaDelete);
    }

    [Fact]
    public async Task MfaHeader_Malformed_OrOverPlainHttp_IsRefusedAndDeletesNothing()
    {
        using var root = Root();
        var (bucket, old) = await MfaBucketAsync(root);
        var result = await Boto3.RunAsync(Server.HttpEndpoint!, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, $$"""
            from botocore.config import Config
            cfg = Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1})
            plain = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=cfg)
            secure = boto3.client('s3', endpoint_url='{{Server.Endpoint}}', region_name='eu-west-1', config=cfg, verify='{{Server.CaFile}}')
            def code(call):
                try:
                    call()
                    return 'ok'
                except plain.exceptions.ClientError as e:
                    return e.response['Error']['Code'] + ' ' + str(e.response['ResponseMetadata']['HTTPStatusCode'])
            out = {
                'malformed': code(lambda: secure.delete_object(Bucket='{{bucket}}', Key='agreement.pdf', VersionId='{{old}}', MFA='{{Serial}}')),
                'http': code(lambda: plain.delete_object(Bucket='{{bucket}}', Key='agreement.pdf', VersionId='{{old}}', MFA='{{Serial}} {{Code()}}')),
                'versions': len(secure.list_object_versions(Bucket='{{bucket}}')['Versions']),
            }
            print(json.dumps(out))
            """);
        Assert.Equal("InvalidArgument 400", result.GetProperty("malformed").GetString());
        Assert.Equal("InvalidRequest 400", result.GetProperty("http").GetString());
        Assert.Equal(2, result.GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task MfaDeleteAndLifecycle_ExcludeEachOther_EitherWayRound_ChangingNothing()
    {
        using var root = Root();
        var (mfaBucket, _) = await MfaBucketAsync(root);
        var rule = new LifecycleRule
        {
            Id = "expire", Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
            Expiration = new LifecycleRuleExpiration { Days = 7 },
        };
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => root.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = mfaBucket, Configuration = new LifecycleConfiguration { Rules = [rule] },
        }));
        Assert.Equal(("InvalidBucketState", HttpStatusCode.Conflict), (refused.ErrorCode, refused.StatusCode));
        Assert.Empty((await root.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = mfaBucket })).Configuration?.Rules ?? []);

        var backups = S3Clients.UniqueBucket("backups");
        await root.PutBucketAsync(new PutBucketRequest { BucketName = backups });
        await root.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = backups, Configuration = new LifecycleConfiguration { Rules = [rule] } });
        var enabling = await Assert.ThrowsAsync<AmazonS3Exception>(() => root.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = backups,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true },
            MfaCodes = new MfaCodes { SerialNumber = Serial, AuthenticationValue = Code() },
        }));
        Assert.Equal("InvalidBucketState", enabling.ErrorCode);
        Assert.Equal(VersionStatus.Off, (await root.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = backups })).VersioningConfig.Status);
    }

    [Fact]
    public async Task RootMfaDevice_IsListedAsRoots_AndTheAccountSummarySaysMfaIsOn()
    {
        var root = new Cli(Server.HttpEndpoint!, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
        var devices = await root.RunAsync("iam", "list-mfa-devices");
        Assert.Contains(devices.GetProperty("MFADevices").EnumerateArray(), d => d.GetProperty("SerialNumber").GetString() == Serial);
        var summary = await root.RunAsync("iam", "get-account-summary");
        Assert.Equal(1, summary.GetProperty("SummaryMap").GetProperty("AccountMFAEnabled").GetInt32());
        var assigned = await root.RunAsync("iam", "list-virtual-mfa-devices", "--assignment-status", "Assigned");
        var user = assigned.GetProperty("VirtualMFADevices").EnumerateArray().Single(d => d.GetProperty("SerialNumber").GetString() == Serial).GetProperty("User");
        Assert.Equal($"arn:aws:iam::{Server.AccountId}:root", user.GetProperty("Arn").GetString());
    }
}

public sealed class S3MfaDeleteEstateOnPostgres : S3MfaDeleteEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3MfaDeleteTestsOnSqlite(S3MfaDeleteEstate estate) : S3MfaDeleteTests(estate), IClassFixture<S3MfaDeleteEstate>;

public sealed class S3MfaDeleteTestsOnPostgres(S3MfaDeleteEstateOnPostgres estate) : S3MfaDeleteTests(estate), IClassFixture<S3MfaDeleteEstateOnPostgres>;
