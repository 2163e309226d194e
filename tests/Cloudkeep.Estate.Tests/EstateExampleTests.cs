using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>examples/digital-marketplace: the seed's estate parses, applies to an empty server, and a second plan is empty.</summary>
public sealed class EstateExampleTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    [Fact]
    public void Example_Parses_WithEveryAccountAndResource()
    {
        var document = EstateParser.ParseFile(Path.Combine(Example, "estate.yaml"));

        Assert.Equal(["main", "development", "production", "backups"], document.Accounts.Select(a => a.Name).ToArray());
        Assert.Equal(8, document.Resources.Count(r => r.Kind == ResourceKind.Group));
        Assert.Equal(34, document.Resources.Count(r => r.Kind == ResourceKind.Bucket));
        // Every environment bucket and CloudTrail bucket is versioned; the two local development buckets are not.
        Assert.Equal(32, document.Resources.Count(r => r.Kind == ResourceKind.Bucket && r.Fields.GetValueOrDefault("versioning") == "Enabled"));
        // Production and preview documents, communications, submissions and agreements, and the backups bucket, replicate through their account's role.
        var replicated = document.Resources.Where(r => r.Kind == ResourceKind.Bucket && r.Fields.ContainsKey("replication")).ToList();
        Assert.Equal(9, replicated.Count);
        Assert.All(replicated, r => Assert.Contains($"\"role\":\"${{role.{r.Account}.replication.arn}}\"", r.Fields["replication"], StringComparison.Ordinal));
        Assert.DoesNotContain(replicated, r => r.Name.Contains("staging", StringComparison.Ordinal));
        Assert.Contains("\"bucket\":\"${bucket.backups.digitalmarketplace-cross-region-database-backups.arn}\"", replicated.Single(r => r.Name == "digitalmarketplace-database-backups").Fields["replication"], StringComparison.Ordinal);
        // Each stage's documents, communications, submissions, agreements and reports buckets log to the stage's logs bucket, in the same account.
        var logged = document.Resources.Where(r => r.Kind == ResourceKind.Bucket && r.Fields.ContainsKey("logging")).ToList();
        Assert.Equal(15, logged.Count);
        Assert.All(logged, r => Assert.Equal(
            $$"""{"bucket":"${bucket.{{r.Account}}.digitalmarketplace-logs-{{r.Name.Split('-')[^1]}}-{{r.Name.Split('-')[^1]}}.arn}","prefix":"{{r.Name}}/"}""",
            r.Fields["logging"]));
        // CloudTrail in every account, multi-region, with log file validation, into the account's own bucket.
        var trails = document.Resources.Where(r => r.Kind == ResourceKind.Trail).ToList();
        Assert.Equal(["main", "development", "production", "backups"], trails.Select(t => t.Account).ToArray());
        Assert.All(trails, t => Assert.Equal(
            ($"digitalmarketplace-{t.Account}-account-cloudtrail-bucket", "true", "true", "true"),
            (t.Fields["bucket"], t.Fields["multiRegion"], t.Fields["logFileValidation"], t.Fields["logging"])));
        Assert.All(trails, t => Assert.Single(document.Resources, r => r.Kind == ResourceKind.Bucket && r.Account == t.Account && r.Name == t.Fields["bucket"]));
        // Billing alerts for development and production: an EstimatedCharges alarm in us-east-1 e-mailing the account's topic there.
        var alarms = document.Resources.Where(r => r.Kind == ResourceKind.Alarm).ToList();
        Assert.Equal(["development", "production"], alarms.Select(a => a.Account).ToArray());
        Assert.All(alarms, a => Assert.Equal(
            ("us-east-1", "AWS/Billing", "EstimatedCharges", """{"Currency":"USD"}""", "Maximum", $$"""["${topic.{{a.Account}}.billing-alerts.arn}"]"""),
            (a.Fields["region"], a.Fields["namespace"], a.Fields["metricName"], a.Fields["dimensions"], a.Fields["statistic"], a.Fields["alarmActions"])));
        Assert.All(alarms, a => Assert.Equal("us-east-1", Assert.Single(document.Resources, r => r.Kind == ResourceKind.Topic && r.Account == a.Account).Fields["region"]));
        Assert.Equal(
            ["development/billing-alerts/email:aws-billing-alerts@digitalmarketplace.example", "production/billing-alerts/email:aws-billing-alerts@digitalmarketplace.example"],
            document.Resources.Where(r => r.Kind == ResourceKind.Subscription).Select(r => $"{r.Account}/{r.Name}").ToArray());
        var replica = document.Resources.Single(r => r.Kind == ResourceKind.Bucket && r.Name == "digitalmarketplace-cross-region-database-backups");
        Assert.Equal("""[{"expiration":{"days":7},"id":"expire-after-7-days","status":"Enabled"}]""", replica.Fields["lifecycle"]);
        var backups = document.Resources.Single(r => r.Kind == ResourceKind.Bucket && r.Name == "digitalmarketplace-database-backups");
        Assert.Equal("""[{"expiration":{"days":180},"id":"expire-after-180-days","status":"Enabled"}]""", backups.Fields["lifecycle"]);
    }

    [Fact]
    public async Task Example_AppliedToAnEmptyServer_ThenPlansNoChanges()
    {
        // Over https: every bucket of the estate denies plain http (aws:SecureTransport), reads included.
        await using var server = await TestServer.StartAsync(tls: true, accessLogInterval: TimeSpan.FromSeconds(1));
        using var harness = new EstateHarness(server);
        await harness.UseAdministratorAsync();
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            harness.Write(Path.Combine("policies", Path.GetFileName(policy)), File.ReadAllText(policy));
        }

        var file = harness.Write("estate.yaml", File.ReadAllText(Path.Combine(Example, "estate.yaml")));

        var apply = await harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Contains("creating account backups ... done", apply.Output, StringComparison.Ordinal);
        var plan = await harness.PlanAsync(file);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error);
        Assert.Contains("creating key main/sops-credentials@eu-west-1 ... done", apply.Output, StringComparison.Ordinal);
        Assert.Contains("creating key main/sops-credentials@eu-west-2 ... done", apply.Output, StringComparison.Ordinal);

        // The seed's replication: a document written to production's documents bucket (eu-west-1) arrives
        // in its eu-west-2 replica through the production account's replication role.
        using var connection = new EstateConnection(harness.Credentials, server.Endpoint, "eu-west-2", TimeProvider.System, CaBundle.From(server.CaFile));
        var production = await new AccountHandler(connection.Organizations, TimeProvider.System).FindIdAsync("production", CancellationToken.None);
        using var inside = await connection.ForAccountAsync(production!, CancellationToken.None);
        const string Key = "g-cloud-14/documents/123456/service-pricing-document.pdf";
        var put = await inside.S3("eu-west-1").PutObjectAsync(new PutObjectRequest { BucketName = "digitalmarketplace-documents-production-production", Key = Key, ContentBody = "pricing" });
        Assert.Equal("COMPLETED", await ReplicationStatusAsync(inside.S3("eu-west-1"), "digitalmarketplace-documents-production-production", Key, put.VersionId, "COMPLETED"));
        Assert.Equal("REPLICA", await ReplicationStatusAsync(inside.S3("eu-west-2"), "digitalmarketplace-cross-region-documents-production", Key, put.VersionId, "REPLICA"));
        // The seed's access logs: that upload is a line in a log object of production's logs bucket, under the documents bucket's prefix.
        var line = await AccessLogLineAsync(inside.S3("eu-west-1"), "digitalmarketplace-logs-production-production", "digitalmarketplace-documents-production-production/", "REST.PUT.OBJECT");
        Assert.Contains("digitalmarketplace-documents-production-production", line, StringComparison.Ordinal);
        Assert.Contains("service-pricing-document.pdf", line, StringComparison.Ordinal);

        // And a database dump in the backups account reaches its 7-day replica.
        var backupsId = await new AccountHandler(connection.Organizations, TimeProvider.System).FindIdAsync("backups", CancellationToken.None);
        using var backups = await connection.ForAccountAsync(backupsId!, CancellationToken.None);
        const string Dump = "production-202612070300.sql.gz.gpg";
        var dump = await backups.S3("eu-west-1").PutObjectAsync(new PutObjectRequest { BucketName = "digitalmarketplace-database-backups", Key = Dump, ContentBody = "encrypted dump", CannedACL = S3CannedACL.BucketOwnerFullControl });
        Assert.Equal("REPLICA", await ReplicationStatusAsync(backups.S3("eu-west-2"), "digitalmarketplace-cross-region-database-backups", Dump, dump.VersionId, "REPLICA"));

        // The billing alerts, as the AWS CLI sees them in each environment's account: the alarm in us-east-1 on
        // AWS/Billing EstimatedCharges (Currency=USD), notifying the topic there, whose e-mail subscription waits for its reader.
        foreach (var (account, threshold) in new[] { ("development", 500.0), ("production", 2000.0) })
        {
            var id = await new AccountHandler(connection.Organizations, TimeProvider.System).FindIdAsync(account, CancellationToken.None);
            var alarm = (await CliInAsync(server, harness, id!, "cloudwatch", "describe-alarms", "--region", "us-east-1", "--alarm-names", "billing-estimated-charges"))
                .GetProperty("MetricAlarms").EnumerateArray().Single();
            Assert.Equal(("AWS/Billing", "EstimatedCharges", "Maximum", 21600, threshold, "GreaterThanThreshold"), (
                alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString(), alarm.GetProperty("Statistic").GetString(),
                alarm.GetProperty("Period").GetInt32(), alarm.GetProperty("Threshold").GetDouble(), alarm.GetProperty("ComparisonOperator").GetString()));
            var dimension = alarm.GetProperty("Dimensions").EnumerateArray().Single();
            Assert.Equal(("Currency", "USD"), (dimension.GetProperty("Name").GetString(), dimension.GetProperty("Value").GetString()));
            var topic = $"arn:aws:sns:us-east-1:{id}:billing-alerts";
            Assert.Equal(topic, alarm.GetProperty("AlarmActions").EnumerateArray().Single().GetString());
            var subscription = (await CliInAsync(server, harness, id!, "sns", "list-subscriptions-by-topic", "--region", "us-east-1", "--topic-arn", topic))
                .GetProperty("Subscriptions").EnumerateArray().Single();
            Assert.Equal(("email", "aws-billing-alerts@digitalmarketplace.example", "PendingConfirmation"),
                (subscription.GetProperty("Protocol").GetString(), subscription.GetProperty("Endpoint").GetString(), subscription.GetProperty("SubscriptionArn").GetString()));
        }

        // The office addresses are a variable: another value changes IPRestrictedAccess in every account that has it, and nothing else.
        var office = await harness.PlanAsync(file, args => args with { Variables = new Dictionary<string, string> { ["officeIps"] = "[192.0.2.0/24]" } });
        Assert.Equal(2, office.Exit);
        Assert.Contains("\"aws:SourceIp\":[\"192.0.2.0/24\"]", office.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 3 to update, 0 to delete.", office.Output, StringComparison.Ordinal);
    }

    /// <summary>The AWS CLI in a member account, through OrganizationAccountAccessRole, trusting the server's certificate; its JSON answer.</summary>
    private static async Task<JsonElement> CliInAsync(TestServer server, EstateHarness harness, string accountId, params string[] arguments)
    {
        using var sts = new AmazonSecurityTokenServiceClient(harness.Credentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = server.Endpoint, AuthenticationRegion = "eu-west-2", HttpClientFactory = CaBundle.From(server.CaFile)!.SdkFactory(),
        });
        var session = (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{accountId}:role/OrganizationAccountAccessRole", RoleSessionName = "example-test" })).Credentials;
        var result = await AwsCli.RunWithSessionAsync(server.Endpoint, session.AccessKeyId, session.SecretAccessKey, session.SessionToken, ["--ca-bundle", server.CaFile!, .. arguments]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary>The first line of a log object under <paramref name="prefix"/> that contains <paramref name="operation"/>, polled for at most 30 seconds.</summary>
    private static async Task<string> AccessLogLineAsync(AmazonS3Client s3, string bucket, string prefix, string operation)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            foreach (var log in (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix })).S3Objects ?? [])
            {
                using var body = await s3.GetObjectAsync(bucket, log.Key);
                using var reader = new StreamReader(body.ResponseStream);
                var text = await reader.ReadToEndAsync();
                if (text.Split('\n').FirstOrDefault(l => l.Contains(operation, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }
        }

        Assert.Fail($"no access log line with {operation} under {bucket}/{prefix} after 30 seconds");
        return "";
    }

    /// <summary>The version's x-amz-replication-status once it is <paramref name="expected"/>, or the last one seen after 15 seconds.</summary>
    private static async Task<string?> ReplicationStatusAsync(AmazonS3Client s3, string bucket, string key, string versionId, string expected)
    {
        string? status = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline && status != expected; await Task.Delay(100))
        {
            try
            {
                status = (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId })).ReplicationStatus?.Value;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                status = null;
            }
        }

        return status;
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
