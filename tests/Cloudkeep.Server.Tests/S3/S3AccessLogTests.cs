using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>A server that delivers access logs every second, and a second account for the cross-account checks.</summary>
public class S3AccessLogEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal TestServer Server = null!;
    internal Cli Root = null!;
    internal Cli PartnerAdmin = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), accessLogInterval: TimeSpan.FromSeconds(1));
        Root = Cli.Root(Server);
        (_, PartnerAdmin) = await MemberAccounts.CreateAsync(Root, "logs");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// S3 server access logging through the AWS CLI and the AWS SDK for .NET: Put/GetBucketLogging with
/// S3's checks, lines in AWS's documented format delivered as objects written by the logging
/// service under the target bucket's policy, no delivery without a grant, and the partitioned key
/// format.
/// </summary>
public abstract partial class S3AccessLogTests(S3AccessLogEstate estate)
{
    private TestServer Server => estate.Server;

    // bucket-owner bucket [time] ip requester request-id operation key "uri" status error bytes size total turnaround "referer" "agent" version host-id sigv cipher auth host tls ap acl
    [GeneratedRegex("""^(?<owner>[0-9a-f]{64}) (?<bucket>\S+) \[(?<time>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000)\] (?<ip>\S+) (?<requester>\S+) (?<id>[0-9A-F]{16}) (?<operation>REST\.[A-Z]+\.[A-Z_]+) (?<key>\S+) "(?<uri>[^"]*)" (?<status>\d{3}) (?<error>\S+) (?<bytes>\S+) (?<size>\S+) (?<total>\d+) (?<turnaround>\S+) "(?<referer>[^"]*)" "(?<agent>[^"]*)" (?<version>\S+) (?<hostid>\S+) (?<sig>\S+) (?<cipher>\S+) (?<auth>\S+) (?<host>\S+) (?<tls>\S+) (?<ap>\S+) (?<acl>\S+)$""")]
    private static partial Regex LogLine();

    private async Task<string> BucketAsync(string prefix, string region = "eu-west-1", Cli? owner = null)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await (owner ?? estate.Root).RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=" + region);
        return bucket;
    }

    private Task GrantLoggingServiceAsync(string target) =>
        estate.Root.RunAsync("s3api", "put-bucket-policy", "--bucket", target, "--policy", $$"""
            {"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},
              "Action":"s3:PutObject","Resource":"arn:aws:s3:::{{target}}/*","Condition":{"StringEquals":{"aws:SourceAccount":"{{Server.AccountId}}"} } }]}
            """);

    private static string Status(string target, string prefix, string format = "") =>
        "{\"LoggingEnabled\":{\"TargetBucket\":\"" + target + "\",\"TargetPrefix\":\"" + prefix + "\"" + format + "}}";

    private static async Task<List<string>> LogLinesAsync(IAmazonS3 s3, string target, string prefix, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var lines = new List<string>();
            var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, Prefix = prefix });
            foreach (var item in listed.S3Objects ?? [])
            {
                using var response = await s3.GetObjectAsync(target, item.Key);
                using var reader = new StreamReader(response.ResponseStream);
                lines.AddRange((await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            if (lines.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task AccessLogs_RequestsToALoggingBucket_ArriveAsLinesInAwsFormat_WrittenByTheLoggingService()
    {
        var source = await BucketAsync("logs-src");
        var target = await BucketAsync("logs-dst");
        await GrantLoggingServiceAsync(target);
        await estate.Root.RunAsync("s3api", "put-bucket-logging", "--bucket", source, "--bucket-logging-status", Status(target, "access/"));
        using var s3 = S3Clients.Root(Server);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "reports/q1 summary.csv", ContentBody = "a,b\n1,2\n" });
        using (var read = await s3.GetObjectAsync(source, "reports/q1 summary.csv"))
        {
            await read.ResponseStream.CopyToAsync(Stream.Null);
        }

        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(source, "missing"));
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = source, Key = "reports/q1 summary.csv", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using (var http = new HttpClient())
        {
            Assert.Equal("a,b\n1,2\n", await http.GetStringAsync(new Uri(url)));
        }

        var lines = await LogLinesAsync(s3, target, "access/", 4);
        var parsed = lines.Select(l => LogLine().Match(l)).ToList();
        Assert.All(parsed, m => Assert.True(m.Success, "not in S3's format: " + m.Value));
        Assert.All(parsed, m => Assert.Equal(Cloudkeep.Services.S3.S3Context.CanonicalId(Server.AccountId), m.Groups["owner"].Value));
        var put = Assert.Single(parsed, m => m.Groups["operation"].Value == "REST.PUT.OBJECT");
        Assert.Equal("reports/q1%20summary.csv", put.Groups["key"].Value);
        Assert.Equal("200", put.Groups["status"].Value);
        Assert.Equal("8", put.Groups["size"].Value);
        Assert.Equal("SigV4", put.Groups["sig"].Value);
        Assert.Equal("AuthHeader", put.Groups["auth"].Value);
        Assert.Equal("127.0.0.1", put.Groups["ip"].Value);
        Assert.StartsWith("PUT /" + source + "/reports/q1%20summary.csv", put.Groups["uri"].Value, StringComparison.Ordinal);
        var missing = Assert.Single(parsed, m => m.Groups["key"].Value == "missing");
        Assert.Equal(("404", "NoSuchKey"), (missing.Groups["status"].Value, missing.Groups["error"].Value));
        var presigned = Assert.Single(parsed, m => m.Groups["auth"].Value == "QueryString");
        Assert.Equal("REST.GET.OBJECT", presigned.Groups["operation"].Value);
        Assert.Contains("X-Amz-Credential=", presigned.Groups["uri"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature", presigned.Groups["uri"].Value, StringComparison.OrdinalIgnoreCase);

        // The log objects are the target's own: SSE-S3, named by S3's simple format.
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, Prefix = "access/" });
        Assert.All(listed.S3Objects, o => Assert.Matches(@"^access/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$", o.Key));
        var head = await s3.GetObjectMetadataAsync(target, listed.S3Objects[0].Key);
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task AccessLogs_TargetWithoutAGrantForTheLoggingService_ReceivesNothing_AndTheRefusalIsCounted()
    {
        var source = await BucketAsync("logs-nog");
        var target = await BucketAsync("logs-nogd");
        await estate.Root.RunAsync("s3api", "put-bucket-logging", "--bucket", source, "--bucket-logging-status", Status(target, "denied/"));
        using var s3 = S3Clients.Root(Server);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "x", ContentBody = "x" });

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        double refused;
        do
        {
            await Task.Delay(250);
            var metrics = await http.GetStringAsync(new Uri(Server.Endpoint + "/_cloudkeep/metrics"));
            var match = Regex.Match(metrics, @"^cloudkeep_s3_access_log_refused_lines_total (\S+)$", RegexOptions.Multiline);
            refused = match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        while (refused < 1 && DateTime.UtcNow < deadline);

        Assert.True(refused >= 1);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target })).S3Objects ?? []);
    }

    [Fact]
    public async Task AccessLogs_PartitionedPrefix_NamesObjectsByAccountRegionBucketAndDate()
    {
        var source = await BucketAsync("logs-part");
        var target = await BucketAsync("logs-partd");
        await GrantLoggingServiceAsync(target);
        await estate.Root.RunAsync("s3api", "put-bucket-logging", "--bucket", source, "--bucket-logging-status",
            Status(target, "p/", ""","TargetObjectKeyFormat":{"PartitionedPrefix":{"PartitionDateSource":"EventTime"}}"""));
        using var s3 = S3Clients.Root(Server);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "x", ContentBody = "x" });
        Assert.NotEmpty(await LogLinesAsync(s3, target, "p/", 1));
        var key = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, Prefix = "p/" })).S3Objects[0].Key;
        var today = DateTime.UtcNow;
        Assert.Matches($@"^p/{Server.AccountId}/eu-west-1/{source}/{today:yyyy}/{today:MM}/{today:dd}/{today:yyyy}-{today:MM}-{today:dd}-\d{{2}}-\d{{2}}-\d{{2}}-[0-9A-F]{{16}}$", key);
    }

    [Fact]
    public async Task BucketLogging_RoundTripsThroughBoto3_AndAnEmptyStatusTurnsItOff()
    {
        var source = await BucketAsync("logs-rt");
        var target = await BucketAsync("logs-rtd");
        var result = await Boto3.RunAsync(Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            before = s3.get_bucket_logging(Bucket='{{source}}').get('LoggingEnabled')
            s3.put_bucket_logging(Bucket='{{source}}', BucketLoggingStatus={'LoggingEnabled': {
                'TargetBucket': '{{target}}', 'TargetPrefix': 'logs/',
                'TargetObjectKeyFormat': {'PartitionedPrefix': {'PartitionDateSource': 'DeliveryTime'} } } })
            enabled = s3.get_bucket_logging(Bucket='{{source}}')['LoggingEnabled']
            s3.put_bucket_logging(Bucket='{{source}}', BucketLoggingStatus={})
            after = s3.get_bucket_logging(Bucket='{{source}}').get('LoggingEnabled')
            print(json.dumps({'before': before, 'enabled': enabled, 'after': after}))
            """);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("before").ValueKind);
        var enabled = result.GetProperty("enabled");
        Assert.Equal(target, enabled.GetProperty("TargetBucket").GetString());
        Assert.Equal("logs/", enabled.GetProperty("TargetPrefix").GetString());
        Assert.Equal("DeliveryTime", enabled.GetProperty("TargetObjectKeyFormat").GetProperty("PartitionedPrefix").GetProperty("PartitionDateSource").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task AccessLogs_LinesStoredBeforeARestart_AreDeliveredByTheNextServer()
    {
        using var data = new TempDirectory();
        await using (var first = await TestServer.StartAsync(dataDirectory: data.Path, accessLogInterval: TimeSpan.Zero))
        {
            var root = Cli.Root(first);
            foreach (var bucket in new[] { "restart-src", "restart-logs" })
            {
                await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
            }

            await root.RunAsync("s3api", "put-bucket-policy", "--bucket", "restart-logs", "--policy",
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::restart-logs/*"}]}""");
            await root.RunAsync("s3api", "put-bucket-logging", "--bucket", "restart-src", "--bucket-logging-status", Status("restart-logs", "before-restart/"));
            using var s3 = S3Clients.Root(first);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "restart-src", Key = "written-before-the-restart", ContentBody = "x" });
        }

        // Delivery was off on the first server; its clean stop wrote the queued line to the store.
        await using var second = await TestServer.StartAsync(dataDirectory: data.Path, accessLogInterval: TimeSpan.FromSeconds(1));
        using var client = S3Clients.Root(second);
        var lines = await LogLinesAsync(client, "restart-logs", "before-restart/", 1);
        Assert.Contains(lines, l => l.Contains(" REST.PUT.OBJECT written-before-the-restart ", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> BadStatuses => new()
    {
        { "missing-target", "InvalidTargetBucketForLogging" },
        { "other-account", "InvalidTargetBucketForLogging" },
        { "other-region", "CrossLocationLoggingProhibitted" },
        { "grants-on-owner-enforced", "InvalidTargetBucketForLogging" },
        { "two-key-formats", "MalformedXML" },
        { "unknown-date-source", "MalformedXML" },
    };

    [Theory]
    [MemberData(nameof(BadStatuses))]
    public async Task PutBucketLogging_BadStatus_IsRefusedWithS3sError_AndChangesNothing(string row, string code)
    {
        var source = await BucketAsync("logs-bad");
        var good = await BucketAsync("logs-badd");
        await estate.Root.RunAsync("s3api", "put-bucket-logging", "--bucket", source, "--bucket-logging-status", Status(good, "keep/"));
        var status = row switch
        {
            "missing-target" => Status("no-such-bucket-for-logs", "x/"),
            "other-account" => Status(await BucketAsync("logs-other", owner: estate.PartnerAdmin), "x/"),
            "other-region" => Status(await BucketAsync("logs-far", "eu-west-2"), "x/"),
            "grants-on-owner-enforced" => $$"""{"LoggingEnabled":{"TargetBucket":"{{good}}","TargetPrefix":"x/","TargetGrants":[{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]} }""",
            "two-key-formats" => Status(good, "x/", ""","TargetObjectKeyFormat":{"SimplePrefix":{},"PartitionedPrefix":{"PartitionDateSource":"EventTime"}}"""),
            _ => Status(good, "x/", ""","TargetObjectKeyFormat":{"PartitionedPrefix":{"PartitionDateSource":"Yesterday"}}"""),
        };
        var error = await estate.Root.FailAsync("s3api", "put-bucket-logging", "--bucket", source, "--bucket-logging-status", status);
        Assert.True(error.Contains($"({code})", StringComparison.Ordinal), row + ": " + error);
        var kept = (await estate.Root.RunAsync("s3api", "get-bucket-logging", "--bucket", source)).GetProperty("LoggingEnabled");
        Assert.Equal("keep/", kept.GetProperty("TargetPrefix").GetString());
    }
}

public sealed class S3AccessLogEstateOnPostgres : S3AccessLogEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3AccessLogTestsOnSqlite(S3AccessLogEstate estate) : S3AccessLogTests(estate), IClassFixture<S3AccessLogEstate>;

public sealed class S3AccessLogTestsOnPostgres(S3AccessLogEstateOnPostgres estate) : S3AccessLogTests(estate), IClassFixture<S3AccessLogEstateOnPostgres>;
