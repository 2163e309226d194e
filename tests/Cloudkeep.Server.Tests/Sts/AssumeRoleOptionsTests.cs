using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Sts;

/// <summary>
/// A user allowed to assume roles (and to tag sessions and set a source identity, as AWS requires for those), a bucket
/// with one object, and roles whose trust or permissions policies look at ExternalId, SourceIdentity, session tags
/// and session policies, plus a role with a path.
/// </summary>
public class AssumeRoleEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public const string ExternalId = "ext-7731";
    public const string ObjectKey = "apollo/plan.txt";

    public TestServer Server { get; private set; } = null!;

    public Cli Root { get; private set; } = null!;

    public Cli Caller { get; private set; } = null!;

    public string Bucket { get; } = S3Clients.UniqueBucket("assumed");

    public string RoleArn(string name, string path = "/") => $"arn:aws:iam::{Server.AccountId}:role{path}{name}";

    private static string Document(params object[] statements) => JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = statements });

    private object TrustStatement(string[] actions, object? condition = null) => condition is null
        ? new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{Server.AccountId}:root" }, Action = actions }
        : new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{Server.AccountId}:root" }, Action = actions, Condition = condition };

    private static object Allow(string[] actions, string resource, object? condition = null) => condition is null
        ? new { Effect = "Allow", Action = actions, Resource = resource }
        : new { Effect = "Allow", Action = actions, Resource = resource, Condition = condition };

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        Root = Cli.Root(Server);
        using (var s3 = S3Clients.Root(Server))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = ObjectKey, ContentBody = "launch" });
        }

        Caller = await Root.CreateUserWithKeyAsync("assumer");
        await Root.RunAsync("iam", "put-user-policy", "--user-name", "assumer", "--policy-name", "assume",
            "--policy-document", Document(Allow(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "*")));

        var objects = $"arn:aws:s3:::{Bucket}/*";
        var readIfApollo = Allow(["s3:GetObject"], objects, new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, string> { ["aws:PrincipalTag/project"] = "apollo" } });
        await CreateRoleAsync("partner-access", TrustStatement(["sts:AssumeRole"], new { StringEquals = new Dictionary<string, string> { ["sts:ExternalId"] = ExternalId } }));
        await CreateRoleAsync("audited", TrustStatement(["sts:AssumeRole", "sts:SetSourceIdentity"], new { StringEquals = new Dictionary<string, string> { ["sts:SourceIdentity"] = "alice" } }));
        await CreateRoleAsync("tagged", TrustStatement(["sts:AssumeRole", "sts:TagSession"]), permissions: Document(readIfApollo, Allow(["sts:AssumeRole", "sts:TagSession"], "*")));
        await CreateRoleAsync("tagged-next", TrustStatement(["sts:AssumeRole", "sts:TagSession"]), permissions: Document(readIfApollo));
        await CreateRoleAsync("broad", TrustStatement(["sts:AssumeRole"]), permissions: Document(Allow(["s3:GetObject", "s3:PutObject"], objects)));
        await CreateRoleAsync("pathed", TrustStatement(["sts:AssumeRole"]), path: "/team/app/");
        await CreateRoleAsync("plain", TrustStatement(["sts:AssumeRole"]));
    }

    private async Task CreateRoleAsync(string name, object trust, string? permissions = null, string path = "/")
    {
        await Root.RunAsync("iam", "create-role", "--role-name", name, "--path", path, "--assume-role-policy-document", Document(trust));
        if (permissions is not null)
        {
            await Root.RunAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "permissions", "--policy-document", permissions);
        }
    }

    public AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

    public AmazonSecurityTokenServiceClient CallerSts() => Sts(new BasicAWSCredentials(Caller.AccessKeyId, Caller.SecretAccessKey));

    public static AWSCredentials Session(AssumeRoleResponse response) =>
        new SessionAWSCredentials(response.Credentials.AccessKeyId, response.Credentials.SecretAccessKey, response.Credentials.SessionToken);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// AssumeRole's options end to end through the AWS SDK for .NET, as AWS documents them: ExternalId and SourceIdentity
/// checked by the trust policy, session tags seen as aws:PrincipalTag and carried into a chained session only when
/// transitive, a session policy narrowing the role, and a role with a path.
/// </summary>
public abstract class AssumeRoleOptionsTests(AssumeRoleEstate estate)
{
    private async Task<bool> CanReadAsync(AWSCredentials credentials)
    {
        using var s3 = S3Clients.For(estate.Server, credentials);
        try
        {
            using var read = await s3.GetObjectAsync(estate.Bucket, AssumeRoleEstate.ObjectKey);
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied")
        {
            return false;
        }
    }

    private async Task<bool> CanWriteAsync(AWSCredentials credentials)
    {
        using var s3 = S3Clients.For(estate.Server, credentials);
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = estate.Bucket, Key = "apollo/written.txt", ContentBody = "x" });
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied")
        {
            return false;
        }
    }

    private static async Task<AmazonSecurityTokenServiceException> DeniedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(call);
        Assert.Equal("AccessDenied", error.ErrorCode);
        return error;
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("ext-0000", false)]
    [InlineData(AssumeRoleEstate.ExternalId, true)]
    public async Task AssumeRole_TrustPolicyRequiresExternalId_OnlyTheRightOneIsAllowed(string? externalId, bool allowed)
    {
        using var sts = estate.CallerSts();
        var request = new AssumeRoleRequest { RoleArn = estate.RoleArn("partner-access"), RoleSessionName = "partner", ExternalId = externalId };
        if (allowed)
        {
            var response = await sts.AssumeRoleAsync(request);
            Assert.Equal($"arn:aws:sts::{estate.Server.AccountId}:assumed-role/partner-access/partner", response.AssumedRoleUser.Arn);
        }
        else
        {
            await DeniedAsync(() => sts.AssumeRoleAsync(request));
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("mallory", false)]
    [InlineData("alice", true)]
    public async Task AssumeRole_TrustPolicyConditionOnSourceIdentity_OnlyThatIdentityIsAllowedAndTheSessionCarriesIt(string? sourceIdentity, bool allowed)
    {
        using var sts = estate.CallerSts();
        var request = new AssumeRoleRequest { RoleArn = estate.RoleArn("audited"), RoleSessionName = "audit", SourceIdentity = sourceIdentity };
        if (allowed)
        {
            var response = await sts.AssumeRoleAsync(request);
            Assert.Equal(sourceIdentity, response.SourceIdentity);
        }
        else
        {
            await DeniedAsync(() => sts.AssumeRoleAsync(request));
        }
    }

    [Theory]
    [InlineData("apollo", true)]
    [InlineData("gemini", false)]
    public async Task AssumeRole_SessionTag_IsThePrincipalTagTheRolesPolicyChecks(string project, bool canRead)
    {
        using var sts = estate.CallerSts();
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = estate.RoleArn("tagged"),
            RoleSessionName = "tagged",
            Tags = [new Amazon.SecurityToken.Model.Tag { Key = "project", Value = project }],
        });
        Assert.Equal(canRead, await CanReadAsync(AssumeRoleEstate.Session(response)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task AssumeRole_ChainedFromATaggedSession_CarriesTheTagOnlyWhenTransitive(bool transitive, bool canRead)
    {
        using var sts = estate.CallerSts();
        var first = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = estate.RoleArn("tagged"),
            RoleSessionName = "first",
            Tags = [new Amazon.SecurityToken.Model.Tag { Key = "project", Value = "apollo" }],
            TransitiveTagKeys = transitive ? ["project"] : null,
        });
        using var chainedSts = estate.Sts(AssumeRoleEstate.Session(first));
        var second = await chainedSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = estate.RoleArn("tagged-next"), RoleSessionName = "second" });
        Assert.Equal(canRead, await CanReadAsync(AssumeRoleEstate.Session(second)));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task AssumeRole_SessionPolicy_NarrowsTheRolesPermissions(bool withSessionPolicy, bool canWrite)
    {
        using var sts = estate.CallerSts();
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = estate.RoleArn("broad"),
            RoleSessionName = "narrowed",
            Policy = withSessionPolicy ? $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{estate.Bucket}}/*"}]}""" : null,
        });
        var session = AssumeRoleEstate.Session(response);
        Assert.True(await CanReadAsync(session));
        Assert.Equal(canWrite, await CanWriteAsync(session));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public async Task AssumeRole_TagsOrSourceIdentityTheTrustPolicyDoesNotAllow_IsDenied(bool withTags, bool withSourceIdentity, bool allowed)
    {
        // AWS: passing session tags needs sts:TagSession, and setting a source identity sts:SetSourceIdentity, in the
        // role's trust policy as well as sts:AssumeRole (IAM User Guide, "Passing session tags in AWS STS" and
        // "Monitor and control actions taken with assumed roles").
        using var sts = estate.CallerSts();
        var request = new AssumeRoleRequest
        {
            RoleArn = estate.RoleArn("plain"),
            RoleSessionName = "plain",
            Tags = withTags ? [new Amazon.SecurityToken.Model.Tag { Key = "project", Value = "apollo" }] : null,
            SourceIdentity = withSourceIdentity ? "alice" : null,
        };
        if (allowed)
        {
            Assert.NotNull((await sts.AssumeRoleAsync(request)).Credentials.SessionToken);
        }
        else
        {
            await DeniedAsync(() => sts.AssumeRoleAsync(request));
        }
    }

    [Fact]
    public async Task AssumeRole_RoleWithPath_RoleArnHasThePathAndAssumedRoleArnDoesNot()
    {
        var role = (await estate.Root.RunAsync("iam", "get-role", "--role-name", "pathed")).GetProperty("Role");
        var roleArn = estate.RoleArn("pathed", "/team/app/");
        Assert.Equal(roleArn, role.GetProperty("Arn").GetString());
        Assert.Equal("/team/app/", role.GetProperty("Path").GetString());

        using var sts = estate.CallerSts();
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "deploy" });
        var assumedArn = $"arn:aws:sts::{estate.Server.AccountId}:assumed-role/pathed/deploy";
        Assert.Equal(assumedArn, response.AssumedRoleUser.Arn);
        Assert.Equal(role.GetProperty("RoleId").GetString() + ":deploy", response.AssumedRoleUser.AssumedRoleId);
        using var asRole = estate.Sts(AssumeRoleEstate.Session(response));
        var identity = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(assumedArn, identity.Arn);
        Assert.Equal(role.GetProperty("RoleId").GetString() + ":deploy", identity.UserId);
    }
}

public sealed class AssumeRoleEstateOnPostgres : AssumeRoleEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class AssumeRoleOptionsTestsOnSqlite(AssumeRoleEstate estate) : AssumeRoleOptionsTests(estate), IClassFixture<AssumeRoleEstate>;

public sealed class AssumeRoleOptionsTestsOnPostgres(AssumeRoleEstateOnPostgres estate) : AssumeRoleOptionsTests(estate), IClassFixture<AssumeRoleEstateOnPostgres>;
