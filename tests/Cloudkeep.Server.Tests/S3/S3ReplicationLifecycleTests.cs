using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Delete markers that lifecycle expiry makes are never replicated, while a person's delete under
/// the same rule is (the seed's backups bucket relies on it: its replica keeps its own 7-day rule).
/// The server's clock is moved past the expiry; replication and lifecycle run as in production.
/// </summary>
public sealed class S3ReplicationLifecycleTests
{
    [Fact]
    public async Task LifecycleExpiry_DeleteMarker_IsNotReplicated_WhileAUsersDeleteIs()
    {
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock, lifecycleInterval: TimeSpan.FromMilliseconds(200));
        var root = Cli.Root(server);
        await root.RunAsync("iam", "create-role", "--role-name", "replication", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        await root.RunAsync("iam", "put-role-policy", "--role-name", "replication", "--policy-name", "replicate", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject","s3:ReplicateDelete"],"Resource":"*"}]}""");
        foreach (var (bucket, region) in new[] { ("backups", "eu-west-1"), ("backups-replica", "eu-west-2") })
        {
            await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=" + region);
            await root.RunAsync("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        }

        await root.RunAsync("s3api", "put-bucket-replication", "--bucket", "backups", "--replication-configuration",
            $$"""{"Role":"arn:aws:iam::{{server.AccountId}}:role/replication","Rules":[{"ID":"all","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Enabled"},"Destination":{"Bucket":"arn:aws:s3:::backups-replica"} }]}""");
        await root.RunAsync("s3api", "put-bucket-lifecycle-configuration", "--bucket", "backups", "--lifecycle-configuration",
            """{"Rules":[{"ID":"expire","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":1}}]}""");
        using var s3 = S3Clients.Root(server);
        foreach (var key in new[] { "deleted-by-a-person", "expired-by-lifecycle" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "backups", Key = key, ContentBody = key });
        }

        var deleted = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = "backups", Key = "deleted-by-a-person" });
        await EventuallyAsync(async () => (await MarkersAsync(s3, "backups-replica")).Contains(deleted.VersionId));

        // Three days on, the lifecycle job expires the other object; the clock then comes back, so
        // the clients' signatures (made on real time) are within S3's 15 minutes again.
        clock.Offset = TimeSpan.FromDays(3);
        using (var http = new HttpClient())
        {
            await EventuallyAsync(async () => (await http.GetStringAsync(new Uri(server.Endpoint + "/_cloudkeep/metrics")))
                .Split('\n').Any(l => l.StartsWith("cloudkeep_s3_lifecycle_expired_total ", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)));
        }

        clock.Offset = TimeSpan.Zero;
        Assert.Equal(2, (await MarkersAsync(s3, "backups")).Count);

        // Give the replicator time it would need to copy the expiry's marker, had it been queued.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal([deleted.VersionId], await MarkersAsync(s3, "backups-replica"));
        Assert.Equal("expired-by-lifecycle", await BodyAsync(s3, "backups-replica", "expired-by-lifecycle"));
    }

    private static async Task<List<string>> MarkersAsync(Amazon.S3.IAmazonS3 s3, string bucket) =>
        [.. ((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions ?? []).Where(v => v.IsDeleteMarker == true).Select(v => v.VersionId)];

    private static async Task<string> BodyAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(100);
        }
    }
}
