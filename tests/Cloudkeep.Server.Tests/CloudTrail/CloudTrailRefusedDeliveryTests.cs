using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>
/// A trail whose bucket refuses CloudTrail: the file waits with LatestDeliveryError set, follows the
/// trail to the bucket UpdateTrail names (AWS's remedy), and is abandoned, counted, once its events
/// are past the 90 days of history instead of being retried for ever.
/// </summary>
public abstract class CloudTrailRefusedDeliveryTests : IAsyncLifetime
{
    protected abstract MetadataEngine Engine { get; }

    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), time: _clock, trailDeliveryInterval: TimeSpan.FromSeconds(1));
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RefusedFile_WaitsWithError_ThenFollowsTheTrailToItsNewBucket()
    {
        var fixture = new CloudTrailFixtureFor(_server, _root);
        await fixture.CreateTrailBucketAsync("trail-refusing");
        await _root.RunAsync("cloudtrail", "create-trail", "--name", "moved", "--s3-bucket-name", "trail-refusing");
        // The bucket stops accepting CloudTrail before the trail logs anything: a delivery made between
        // start-logging and the policy's removal would be a legitimate file in it.
        await _root.RunAsync("s3api", "delete-bucket-policy", "--bucket", "trail-refusing");
        await _root.RunAsync("cloudtrail", "start-logging", "--name", "moved");
        await _root.RunAsync("iam", "create-user", "--user-name", "while-refused");

        await WaitUntilAsync(async () => (await StatusAsync("moved")).TryGetProperty("LatestDeliveryError", out var e) && e.GetString() == "AccessDenied");
        Assert.Empty(await KeysAsync("trail-refusing"));

        await fixture.CreateTrailBucketAsync("trail-accepting");
        await _root.RunAsync("cloudtrail", "update-trail", "--name", "moved", "--s3-bucket-name", "trail-accepting");
        await WaitUntilAsync(async () => (await KeysAsync("trail-accepting")).Count > 0);
        var keys = await KeysAsync("trail-accepting");
        Assert.All(keys, k => Assert.StartsWith($"AWSLogs/{_server.AccountId}/CloudTrail/", k, StringComparison.Ordinal));
        Assert.Contains("\"while-refused\"", await RecordsAsync("trail-accepting"), StringComparison.Ordinal);
        await WaitUntilAsync(async () => !(await StatusAsync("moved")).TryGetProperty("LatestDeliveryError", out var e) || e.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task FileStillRefusedAfterNinetyDays_IsAbandonedAndCounted()
    {
        var fixture = new CloudTrailFixtureFor(_server, _root);
        await fixture.CreateTrailBucketAsync("trail-closed");
        await _root.RunAsync("cloudtrail", "create-trail", "--name", "closed", "--s3-bucket-name", "trail-closed");
        await _root.RunAsync("cloudtrail", "start-logging", "--name", "closed");
        var policy = (await _root.RunAsync("s3api", "get-bucket-policy", "--bucket", "trail-closed")).GetProperty("Policy").GetString()!;
        await _root.RunAsync("s3api", "delete-bucket-policy", "--bucket", "trail-closed");
        await _root.RunAsync("iam", "create-user", "--user-name", "never-delivered");
        await WaitUntilAsync(async () => (await StatusAsync("closed")).TryGetProperty("LatestDeliveryError", out var e) && e.GetString() == "AccessDenied");

        // The user's event is stored up to a second after the call; two more refusals after it is stored mean a
        // whole delivery pass began after, which put it into a refused file (a pass claims before it writes).
        await WaitUntilAsync(async () => (await _root.RunAsync("cloudtrail", "lookup-events", "--region", "us-east-1", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateUser"))
            .GetRawText().Contains("never-delivered", StringComparison.Ordinal));
        var refused = await MetricAsync("cloudkeep_cloudtrail_refused_total");
        await WaitUntilAsync(async () => await MetricAsync("cloudkeep_cloudtrail_refused_total") >= refused + 2);
        var before = await AbandonedAsync();

        // Past the history: the waiting file is given up, not retried for ever. (The CLI's signatures
        // would be too far from the moved clock, so the check reads the metrics endpoint.)
        _clock.Offset = TimeSpan.FromDays(91);
        try
        {
            await WaitUntilAsync(async () => await AbandonedAsync() > before);
        }
        finally
        {
            _clock.Offset = TimeSpan.Zero;
        }

        await _root.RunAsync("s3api", "put-bucket-policy", "--bucket", "trail-closed", "--policy", policy);
        await _root.RunAsync("iam", "create-user", "--user-name", "after-reopening");
        await WaitUntilAsync(async () => (await RecordsAsync("trail-closed")).Contains("\"after-reopening\"", StringComparison.Ordinal));
        Assert.DoesNotContain("\"never-delivered\"", await RecordsAsync("trail-closed"), StringComparison.Ordinal);
    }

    private Task<double> AbandonedAsync() => MetricAsync("cloudkeep_cloudtrail_abandoned_files_total");

    private async Task<double> MetricAsync(string name)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(_server.Endpoint + "/_cloudkeep/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every log file in the bucket, gunzipped and joined.</summary>
    private async Task<string> RecordsAsync(string bucket)
    {
        var text = new System.Text.StringBuilder();
        foreach (var key in await KeysAsync(bucket))
        {
            var path = Path.GetTempFileName();
            try
            {
                await _root.RunAsync("s3api", "get-object", "--bucket", bucket, "--key", key, path);
                await using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
                text.Append(await new StreamReader(gzip).ReadToEndAsync());
            }
            finally
            {
                File.Delete(path);
            }
        }

        return text.ToString();
    }

    private Task<JsonElement> StatusAsync(string trail) => _root.RunAsync("cloudtrail", "get-trail-status", "--name", trail);

    private async Task<List<string>> KeysAsync(string bucket)
    {
        var listed = await _root.RunAsync("s3api", "list-objects-v2", "--bucket", bucket);
        return listed.ValueKind == JsonValueKind.Undefined || !listed.TryGetProperty("Contents", out var contents)
            ? []
            : [.. contents.EnumerateArray().Select(o => o.GetProperty("Key").GetString()!)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(250);
        }
    }
}

public sealed class CloudTrailRefusedDeliveryTestsOnSqlite : CloudTrailRefusedDeliveryTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class CloudTrailRefusedDeliveryTestsOnPostgres : CloudTrailRefusedDeliveryTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
