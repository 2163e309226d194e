using System.Globalization;
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
public sealed class S3ReplicationDurabilityTests
{
    private const int Versions = 1000;
    private static Task<ServeProcess> StartAsync(string data, bool replicate) =>
        ServeProcess.StartAsync(["--data", data, "--no-request-log", "--replication-interval", replicate ? "0.2" : "0"]);

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
