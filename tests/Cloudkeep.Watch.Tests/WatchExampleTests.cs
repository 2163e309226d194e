using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Client;
using Cloudkeep.Estate;
using Cloudkeep.Testing;

namespace Cloudkeep.Watch.Tests;

/// <summary>
/// The watch against a real server: examples/digital-marketplace applied (by `cloudkeep apply`'s
/// runner) has no high finding in any of its four accounts, and a bucket made public afterwards is
/// one, with exit code 1.
/// </summary>
public sealed class WatchExampleTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    [Fact]
    public async Task Example_Applied_NoHighFindings_ThenAPublicBucketIsOne()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var directory = new TempDirectory("cloudkeep-watch-test-");
        using var http = new HttpClient(CaBundle.From(server.CaFile)!.Handler(), disposeHandler: true);

        // An IAM administrator applies the estate (root cannot assume roles into member accounts); then
        // the root access key the test server starts with is deleted, as the seed has it.
        AWSCredentials root = new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
        var rootIam = new IamClient(http, new Uri(server.Endpoint), root, TimeProvider.System);
        await rootIam.CallAsync("CreateUser", [new("UserName", "estate-admin")], CancellationToken.None);
        await rootIam.CallAsync("AttachUserPolicy", [new("UserName", "estate-admin"), new("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")], CancellationToken.None);
        var key = await rootIam.CallAsync("CreateAccessKey", [new("UserName", "estate-admin")], CancellationToken.None);
        AWSCredentials admin = new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId"), IamClient.Descendant(key, "SecretAccessKey"));
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            Directory.CreateDirectory(Path.Combine(directory.Path, "policies"));
            File.Copy(policy, Path.Combine(directory.Path, "policies", Path.GetFileName(policy)));
        }

        var estate = Path.Combine(directory.Path, "estate.yaml");
        File.Copy(Path.Combine(Example, "estate.yaml"), estate);
        string? Variable(string name) => name switch { "AWS_ENDPOINT_URL" => server.Endpoint, "AWS_CA_BUNDLE" => server.CaFile, _ => null };
        using (var applyOut = new StringWriter())
        using (var applyErr = new StringWriter())
        {
            var applied = await new EstateRunner(applyOut, applyErr, new StringReader(""), false, _ => admin, Variable, TimeProvider.System)
                .ApplyAsync(new EstateArguments(estate, null, null, "eu-west-2", true), CancellationToken.None);
            Assert.True(applied == 0, applyOut.ToString() + applyErr);
        }

        await rootIam.CallAsync("DeleteAccessKey", [new("AccessKeyId", TestServer.RootAccessKeyId)], CancellationToken.None);

        var (exit, report, error) = await WatchAsync(admin, Variable, new WatchArguments(null, null, "eu-west-2") { RoleName = "OrganizationAccountAccessRole", EstateFile = estate, Json = true });
        Assert.True(error.Length == 0, error);
        var findings = report["findings"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.Equal(4, report["accounts"]!.AsArray().Count);
        // The one high finding is the test's own administrator (AdministratorAccess on a user, no MFA): not the
        // estate's. Every account's multi-region trail records the region read, with log file validation.
        var high = findings.Where(f => f["severity"]!.GetValue<string>() is "High" or "Critical").ToList();
        var harness = Assert.Single(high);
        Assert.Equal(("POLICY_ADMIN_WITHOUT_MFA", "arn:aws:iam::aws:policy/AdministratorAccess"), (harness["id"]!.GetValue<string>(), harness["resource"]!.GetValue<string>()));
        Assert.Contains("user/estate-admin", harness["why"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, exit);
        // What the estate does leave: people who have not enrolled MFA yet, and the infrastructure role CI assumes from main without MFA.
        Assert.Contains(findings, f => f["id"]!.GetValue<string>() == "CONSOLE_USER_WITHOUT_MFA");
        Assert.Contains(findings, f => f["id"]!.GetValue<string>() == "ROLE_TRUSTS_ACCOUNT_WITHOUT_MFA" && f["resource"]!.GetValue<string>().EndsWith(":role/infrastructure", StringComparison.Ordinal));
        var unexpected = findings.Where(f => f["id"]!.GetValue<string>() is "PASSWORD_POLICY_WEAK" or "BUCKET_NOT_REPLICATED" or "BUCKET_PUBLIC" or "ROOT_ACCESS_KEY"
            or "TRAIL_OFF" or "TRAIL_STOPPED" or "TRAIL_NO_LOG_FILE_VALIDATION").ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Select(f => f.ToJsonString())));
        // The backups account declares no password policy (it has no people), and the watch says so.
        Assert.Contains("account backups", Assert.Single(findings, f => f["id"]!.GetValue<string>() == "PASSWORD_POLICY_MISSING")["fix"]!.GetValue<string>(), StringComparison.Ordinal);

        // A production bucket made public: its public access block removed and a policy for everyone put.
        var accounts = new OrganizationsClient(http, new Uri(server.Endpoint), admin, TimeProvider.System);
        var production = (await accounts.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "production")["Id"]!.GetValue<string>();
        using (var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(admin, new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "eu-west-2", HttpClientFactory = CaBundle.From(server.CaFile)!.SdkFactory() }))
        {
            var assumed = (await sts.AssumeRoleAsync(new Amazon.SecurityToken.Model.AssumeRoleRequest { RoleArn = $"arn:aws:iam::{production}:role/OrganizationAccountAccessRole", RoleSessionName = "watch-test" })).Credentials;
            using var s3 = new AmazonS3Client(new SessionAWSCredentials(assumed.AccessKeyId, assumed.SecretAccessKey, assumed.SessionToken),
                new AmazonS3Config { ServiceURL = server.Endpoint, AuthenticationRegion = "eu-west-1", ForcePathStyle = true, HttpClientFactory = CaBundle.From(server.CaFile)!.SdkFactory() });
            const string Bucket = "digitalmarketplace-reports-production-production";
            await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = Bucket });
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest
            {
                BucketName = Bucket,
                Policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{Bucket}}/*"}]}""",
            });
        }

        var (again, after, _) = await WatchAsync(admin, Variable, new WatchArguments(null, null, "eu-west-2") { RoleName = "OrganizationAccountAccessRole", EstateFile = estate, Json = true, FailOn = Severity.Critical });
        Assert.Equal(0, again);
        var ids = after["findings"]!.AsArray().Where(f => f!["account"]!.GetValue<string>() == production && f["resource"]!.GetValue<string>() == "arn:aws:s3:::digitalmarketplace-reports-production-production")
            .Select(f => f!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["BUCKET_NOT_TLS_ONLY", "BUCKET_NO_PUBLIC_ACCESS_BLOCK", "BUCKET_PUBLIC"], ids);

        // The table names the same finding; unknown credentials exit 2.
        var (tableExit, table, _) = await WatchTextAsync(admin, Variable, new WatchArguments(null, null, "eu-west-2") { RoleName = "OrganizationAccountAccessRole" });
        Assert.Equal(1, tableExit);
        Assert.Contains("BUCKET_PUBLIC", table, StringComparison.Ordinal);
        Assert.DoesNotContain("TRAIL_", table, StringComparison.Ordinal);
        var (badExit, _, badError) = await WatchTextAsync(new BasicAWSCredentials("AKIANOTAKEY000000000", "nope"), Variable, new WatchArguments(null, null, "eu-west-2"));
        Assert.Equal(2, badExit);
        Assert.StartsWith("cloudkeep watch:", badError, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, JsonObject Report, string Error)> WatchAsync(AWSCredentials credentials, Func<string, string?> variable, WatchArguments args)
    {
        var (exit, output, error) = await WatchTextAsync(credentials, variable, args);
        return (exit, JsonNode.Parse(output)!.AsObject(), error);
    }

    private static async Task<(int Exit, string Output, string Error)> WatchTextAsync(AWSCredentials credentials, Func<string, string?> variable, WatchArguments args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await new WatchRunner(output, error, _ => credentials, variable, TimeProvider.System).RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
