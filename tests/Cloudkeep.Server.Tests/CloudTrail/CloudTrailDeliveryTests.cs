using System.IO.Compression;
using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>
/// Trails deliver gzip JSON log files and signed digests to their bucket, and `cloudkeep audit verify`
/// (run as a process, through the public APIs) catches a changed, a deleted and an added file.
/// Delivery runs every second and a digest covers three seconds here (a minute and an hour by default).
/// </summary>
public abstract class CloudTrailDeliveryTests : IAsyncLifetime
{
    private const string Bucket = "trail-delivery";
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), trailDeliveryInterval: TimeSpan.FromSeconds(1), trailDigestInterval: TimeSpan.FromSeconds(3));
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract MetadataEngine Engine { get; }

    [Fact]
    public async Task LogFilesAndDigests_Delivered_AndVerifyCatchesChangedDeletedAndAddedFiles()
    {
        var fixture = new CloudTrailFixtureFor(_server, _root);
        await fixture.CreateTrailBucketAsync(Bucket);
        await _root.RunAsync("cloudtrail", "create-trail", "--name", "audited", "--s3-bucket-name", Bucket, "--is-multi-region-trail", "--enable-log-file-validation");
        await _root.RunAsync("cloudtrail", "start-logging", "--name", "audited");
        var arn = $"arn:aws:cloudtrail:eu-west-1:{_server.AccountId}:trail/audited";
        var account = _server.AccountId;

        // Three rounds of calls a few seconds apart: three log files at least.
        for (var round = 0; round < 3; round++)
        {
            await _root.RunAsync("iam", "create-user", "--user-name", $"delivered-{round}");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var logs = await WaitForKeysAsync($"AWSLogs/{account}/CloudTrail/", 3);
        Assert.All(logs, k => Assert.Matches($@"^AWSLogs/{account}/CloudTrail/[a-z0-9-]+/\d{{4}}/\d{{2}}/\d{{2}}/{account}_CloudTrail_[a-z0-9-]+_\d{{8}}T\d{{4}}Z_[0-9a-f]{{16}}\.json\.gz$", k));
        var records = new List<JsonElement>();
        foreach (var key in logs)
        {
            using var document = JsonDocument.Parse(await GetGunzippedAsync(key));
            records.AddRange(document.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.Clone()));
        }

        Assert.Contains(records, r => r.GetProperty("eventName").GetString() == "CreateUser" && r.GetProperty("requestParameters").GetProperty("userName").GetString() == "delivered-1");
        Assert.Equal(records.Count, records.Select(r => r.GetProperty("eventID").GetString()).Distinct().Count());

        // Every log file so far listed by a digest: then verify finds everything valid.
        var last = "";
        await WaitUntilAsync(
            async () =>
            {
                var run = await VerifyAsync();
                last = run.Output + run.Error;
                return run.Output.Split('\n').Count(l => l.StartsWith("Log file", StringComparison.Ordinal) && l.EndsWith("\tvalid", StringComparison.Ordinal)) >= 3;
            },
            () => "verify said: " + last);
        var clean = await VerifyAsync();
        Assert.True(clean.ExitCode == 0, clean.Output + clean.Error);
        Assert.Matches(@"[1-9]\d* digest files checked", clean.Output);
        var digests = await ListKeysAsync($"AWSLogs/{account}/CloudTrail-Digest/");
        Assert.All(digests, k => Assert.Matches($@"/{account}_CloudTrail-Digest_[a-z0-9-]+_audited_eu-west-1_\d{{8}}T\d{{6}}Z\.json\.gz$", k));
        var listed = clean.Output.Split('\n').Where(l => l.StartsWith("Log file", StringComparison.Ordinal)).Select(l => l.Split('\t')[1]["s3://".Length..][(Bucket.Length + 1)..]).Distinct().ToList();
        Assert.True(listed.Count >= 3);

        // Changed: a log file's content replaced.
        var changed = listed[0];
        await PutGzipAsync(changed, """{"Records":[]}""");
        var afterChange = await VerifyAsync();
        Assert.Equal(1, afterChange.ExitCode);
        Assert.Contains($"s3://{Bucket}/{changed}\tINVALID: hash value doesn't match (changed)", afterChange.Output, StringComparison.Ordinal);

        // Deleted: another log file removed.
        var deleted = listed[1];
        await _root.RunAsync("s3api", "delete-object", "--bucket", Bucket, "--key", deleted);
        var afterDelete = await VerifyAsync();
        Assert.Contains($"s3://{Bucket}/{deleted}\tINVALID: not found (deleted)", afterDelete.Output, StringComparison.Ordinal);

        // Added: a log file in the layout, from before the last digest, that no digest lists.
        var template = listed[2];
        var parts = template.Split('_');
        var earlier = DateTime.ParseExact(parts[^2], "yyyyMMdd'T'HHmm'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).AddMinutes(-10);
        parts[^2] = earlier.ToString("yyyyMMdd'T'HHmm'Z'", System.Globalization.CultureInfo.InvariantCulture);
        parts[^1] = "0123456789abcdef.json.gz";
        var added = string.Join('_', parts);
        await PutGzipAsync(added, """{"Records":[{"eventName":"Forged"}]}""");
        var afterAdd = await VerifyAsync();
        Assert.Contains($"s3://{Bucket}/{added}\tINVALID: not listed in any digest file (added)", afterAdd.Output, StringComparison.Ordinal);

        // A digest file changed: its signature no longer verifies.
        var digest = (await ListKeysAsync($"AWSLogs/{account}/CloudTrail-Digest/")).First();
        await PutGzipAsync(digest, """{"logFiles":[]}""");
        var afterDigest = await VerifyAsync();
        Assert.Contains($"s3://{Bucket}/{digest}\tINVALID:", afterDigest.Output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> VerifyAsync()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [Dll, "audit", "verify", "--trail-arn", $"arn:aws:cloudtrail:eu-west-1:{_server.AccountId}:trail/audited", "--endpoint-url", _server.Endpoint, "--verbose"],
            new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
            },
            TimeSpan.FromSeconds(60));
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    private async Task<List<string>> ListKeysAsync(string prefix)
    {
        var listed = await _root.RunAsync("s3api", "list-objects-v2", "--bucket", Bucket, "--prefix", prefix);
        return listed.ValueKind == JsonValueKind.Undefined || !listed.TryGetProperty("Contents", out var contents)
            ? []
            : [.. contents.EnumerateArray().Select(o => o.GetProperty("Key").GetString()!)];
    }

    private async Task<List<string>> WaitForKeysAsync(string prefix, int count)
    {
        List<string> keys = [];
        await WaitUntilAsync(async () => (keys = await ListKeysAsync(prefix)).Count >= count);
        return keys;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string>? explain = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 45 seconds " + explain?.Invoke());
            await Task.Delay(500);
        }
    }

    private async Task<string> GetGunzippedAsync(string key)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "object.gz");
        await _root.RunAsync("s3api", "get-object", "--bucket", Bucket, "--key", key, file);
        await using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }

    private async Task PutGzipAsync(string key, string text)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "object.gz");
        await File.WriteAllBytesAsync(file, Services.CloudTrail.TrailDelivery.Gzip(System.Text.Encoding.UTF8.GetBytes(text)));
        await _root.RunAsync("s3api", "put-object", "--bucket", Bucket, "--key", key, "--body", file);
    }
}

public sealed class CloudTrailDeliveryTestsOnSqlite : CloudTrailDeliveryTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class CloudTrailDeliveryTestsOnPostgres : CloudTrailDeliveryTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
