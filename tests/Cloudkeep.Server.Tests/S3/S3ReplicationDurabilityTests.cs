using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// The replication queue survives kill -9, as the `cloudkeep serve` program runs: 1,000 versions are
/// written with replication off and the process is killed; a second process starts replicating
/// and is killed partway; a third finishes. Every version then exists exactly once in the
/// destination, under its own version id, and every source version says COMPLETED.
/// </summary>
public sealed partial class S3ReplicationDurabilityTests
{
    private const int Versions = 1000;
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    [GeneratedRegex(@"ready on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ReadyOn();

    private sealed class Running(Process process, string endpoint) : IDisposable
    {
        public string Endpoint { get; } = endpoint;

        public void Kill()
        {
            // Process.Kill is SIGKILL on Linux: no shutdown code runs.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(30_000);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                Kill();
            }

            process.Dispose();
        }
    }

    private static async Task<Running> StartAsync(string data, bool replicate)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Dll, "serve", "--data", data, "--no-request-log", "--replication-interval", replicate ? "0.2" : "0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CLOUDKEEP_LISTEN"] = "127.0.0.1:0";
        info.Environment["CLOUDKEEP_ACCOUNT_ID"] = "444455556666";
        info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
        info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            seen.Add(line);
            if (ReadyOn().Match(line) is { Success: true } ready)
            {
                // Keep draining output so the server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Running(process, ready.Groups[1].Value);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("serve stopped before it was ready:\n" + string.Join('\n', seen));
    }

    private static AmazonS3Client Client(string endpoint) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });

    private static async Task<List<S3ObjectVersion>> AllVersionsAsync(IAmazonS3 s3, string bucket)
    {
        var all = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = bucket };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request);
            all.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true)
            {
                return all;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    [Fact]
    public async Task Replication_KilledWithAThousandVersionsPending_AndAgainPartway_DeliversEachExactlyOnce()
    {
        using var data = new TempDirectory();
        var written = new List<string>();
        using (var first = await StartAsync(data.Path, replicate: false))
        {
            var cli = new Cli(first.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
            await cli.RunAsync("iam", "create-role", "--role-name", "replication", "--assume-role-policy-document",
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
            await cli.RunAsync("iam", "put-role-policy", "--role-name", "replication", "--policy-name", "replicate", "--policy-document",
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],"Resource":"*"}]}""");
            using var s3 = Client(first.Endpoint);
            foreach (var (bucket, region) in new[] { ("source", "eu-west-1"), ("replica", "eu-west-2") })
            {
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = region });
                await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
            }

            await cli.RunAsync("s3api", "put-bucket-replication", "--bucket", "source", "--replication-configuration",
                """{"Role":"arn:aws:iam::444455556666:role/replication","Rules":[{"ID":"all","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::replica"}}]}""");

            // A thousand versions over 100 keys, 16 at a time.
            using var gate = new SemaphoreSlim(16);
            var puts = Enumerable.Range(0, Versions).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var key = "doc-" + (i % 100).ToString("D3", CultureInfo.InvariantCulture);
                    var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "source", Key = key, ContentBody = "version " + i });
                    return put.VersionId;
                }
                finally
                {
                    gate.Release();
                }
            });
            written.AddRange(await Task.WhenAll(puts));
            Assert.Empty(await AllVersionsAsync(s3, "replica"));
            first.Kill();
        }

        using (var second = await StartAsync(data.Path, replicate: true))
        {
            using var s3 = Client(second.Endpoint);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = "replica", MaxKeys = 1 })).Versions is not { Count: > 0 } && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            second.Kill();
        }

        using var third = await StartAsync(data.Path, replicate: true);
        using var client = Client(third.Endpoint);
        var until = DateTime.UtcNow.AddSeconds(120);
        List<S3ObjectVersion> replicas;
        while ((replicas = await AllVersionsAsync(client, "replica")).Count < Versions && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        Assert.Equal(Versions, replicas.Count);
        Assert.Equal(written.Order(StringComparer.Ordinal), replicas.Select(v => v.VersionId).Order(StringComparer.Ordinal));
        var sources = (await AllVersionsAsync(client, "source")).ToDictionary(v => v.VersionId, v => v.Key, StringComparer.Ordinal);
        foreach (var versionId in written.Take(50))
        {
            string? status;
            do
            {
                status = (await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "source", Key = sources[versionId], VersionId = versionId })).ReplicationStatus?.Value;
            }
            while (status == "PENDING" && DateTime.UtcNow < until && await Task.Delay(50).ContinueWith(_ => true));
            Assert.Equal("COMPLETED", status);
        }
    }
}
