using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Server.Tests.Blobs;
using Cloudkeep.Services.S3;
using Cloudkeep.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Cloudkeep.Server.Tests.Nodes;

/// <summary>
/// Several `cloudkeep serve` processes on one PostgreSQL and one Ceph RADOS Gateway bucket for blobs, each
/// with its own data directory (nothing shared on disk), behind Debian's nginx, under mixed load from real
/// clients: a node is killed with SIGKILL mid-load and started again, and PostgreSQL is stopped and started
/// under a node. Bounded in time and count, loopback only.
/// </summary>
[Collection(CephGroup.Name)]
public sealed class ManyNodesTests(CephFixture ceph, ITestOutputHelper output)
{
    private const string Role = "arn:aws:iam::" + ServeProcess.AccountId + ":role/worker";

    [Fact]
    public async Task ThreeNodesBehindNginx_OneKilledMidLoadAndStartedAgain_NoAcknowledgedWriteLostAndJobsCarryOn()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync("estate");
        var backend = await ceph.BucketAsync("killed");
        var data = new[] { new TempDirectory("cloudkeep-node0-"), new TempDirectory("cloudkeep-node1-"), new TempDirectory("cloudkeep-node2-") };
        var ports = new[] { FreePort(), FreePort(), FreePort() };
        string[] Arguments(int node) =>
        [
            "--data", data[node].Path, "--database", database, "--no-request-log", "--replication-interval", "0.2",
            "--blobs", $"s3://{backend}/estate", "--blobs-endpoint", ceph.Rgw.Endpoint,
        ];

        // Every node holds the same master key and the backend's keys, from its environment as an operator would set them.
        var environment = new Dictionary<string, string>
        {
            ["CLOUDKEEP_MASTER_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["CLOUDKEEP_BLOBS_ACCESS_KEY_ID"] = ceph.Rgw.AccessKeyId,
            ["CLOUDKEEP_BLOBS_SECRET_ACCESS_KEY"] = ceph.Rgw.SecretAccessKey,
        };

        // The first node creates the estate (migrations, the management account, the master key);
        // the others join it.
        var nodes = new ServeProcess?[3];
        try
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                nodes[i] = await ServeProcess.StartAsync(Arguments(i), ports[i], environment);
            }

            using var nginx = await NginxBalancer.StartAsync(ports);
            var root = new Cli(nginx.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
            var loader = await SetUpAsync(root, nginx.Endpoint);

            // The other nodes drop the buckets they cached before versioning was turned on when the change
            // notification arrives (milliseconds); this test's subject is not that, so it waits out the cache lifetime.
            await Task.Delay(S3Context.DefaultBucketCacheLifetime + TimeSpan.FromMilliseconds(500));

            var acknowledged = new ConcurrentDictionary<string, (string Key, byte[] Sha256, int Size)>(StringComparer.Ordinal);
            var failures = new ConcurrentQueue<string>();
            var sessions = 0;
            var reads = 0;
            using var stop = new CancellationTokenSource();
            var users = CreateUsersAsync(nginx.Endpoint, TimeSpan.FromSeconds(14));
            var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => WriteAndReadAsync(nginx.Endpoint, w, acknowledged, failures, () => Interlocked.Increment(ref reads), stop.Token)))
                .Append(Task.Run(() => AssumeRoleAsync(nginx.Endpoint, loader, failures, () => Interlocked.Increment(ref sessions), stop.Token)))
                .ToList();

            // Mid-load, the node that runs replication (if any has taken it yet) dies without a word.
            await Task.Delay(TimeSpan.FromSeconds(4));
            var victim = await ReplicationLeaderAsync(database, nodes) ?? 1;
            var killedAt = acknowledged.Count;
            nodes[victim]!.Kill();
            output.WriteLine($"killed node {victim} (pid {nodes[victim]!.ProcessId}) after {killedAt} acknowledged writes");
            await Task.Delay(TimeSpan.FromSeconds(4));
            nodes[victim]!.Dispose();
            nodes[victim] = await ServeProcess.StartAsync(Arguments(victim), ports[victim], environment);
            output.WriteLine($"node {victim} started again after {acknowledged.Count} acknowledged writes");
            await Task.Delay(TimeSpan.FromSeconds(5));
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            var created = await users;

            output.WriteLine($"{acknowledged.Count} writes, {reads} verified reads, {sessions} sessions, {created.Count} users; failures: {failures.Count}");
            Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(20)) + "\n" + nginx.ErrorLog());
            Assert.True(acknowledged.Count > killedAt && killedAt > 0, $"load did not run on both sides of the kill ({killedAt}, {acknowledged.Count})");
            Assert.True(sessions > 0 && created.Count > 0);

            // Every acknowledged version reads back whole, whichever node answers.
            using var s3 = S3(nginx.Endpoint, retries: 4);
            foreach (var (versionId, (key, sha, _)) in acknowledged)
            {
                using var got = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "source", Key = key, VersionId = versionId });
                Assert.Equal(sha, await SHA256.HashDataAsync(got.ResponseStream));
            }

            // Every user the load created exists.
            var listed = await root.RunAsync("iam", "list-users", "--path-prefix", "/load/", "--query", "Users[].UserName");
            Assert.Equal(created.Order(StringComparer.Ordinal), listed.EnumerateArray().Select(u => u.GetString()!).Order(StringComparer.Ordinal));

            // Replication carried on after its node died: every acknowledged version reaches the replica.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            HashSet<string> replicated;
            while ((replicated = await VersionIdsAsync(s3, "replica")).Count < acknowledged.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }

            Assert.Subset(replicated, acknowledged.Keys.ToHashSet(StringComparer.Ordinal));

            // The bodies past the inline limit went to the gateway, under random blob ids only.
            var blobs = await ceph.KeysAsync(backend, "estate/");
            output.WriteLine($"{blobs.Count} blobs on the gateway");
            Assert.True(blobs.Count >= acknowledged.Values.Count(v => v.Size > ObjectUploads.InlineThreshold), $"{blobs.Count} blobs for {acknowledged.Count} writes");
            Assert.All(blobs, k => Assert.Matches("^estate/[a-z0-9-]+/[0-9a-f]{32}$", k));
        }
        finally
        {
            foreach (var node in nodes)
            {
                node?.Dispose();
            }

            foreach (var directory in data)
            {
                directory.Dispose();
            }
        }
    }

    [Fact]
    public async Task PostgresStoppedAndStartedUnderLoad_RequestsAnswer503NeverA500_AndRecoverByThemselves()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync("estate");
        using var data = new TempDirectory("cloudkeep-pgrestart-");
        using var node = await ServeProcess.StartAsync(["--data", data.Path, "--database", database, "--no-request-log"]);
        using var s3 = S3(node.Endpoint, retries: 0);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "docs", BucketRegion = "eu-west-1" });

        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var okAfterRestart = 0;
        var restarted = false;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"w{w}/{i}";
                try
                {
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = "docs", Key = key, ContentBody = key });
                    using var got = await s3.GetObjectAsync("docs", key);
                    if (Volatile.Read(ref restarted))
                    {
                        Interlocked.Increment(ref okAfterRestart);
                    }
                }
                catch (AmazonS3Exception e)
                {
                    statuses.AddOrUpdate($"{(int)e.StatusCode} {e.ErrorCode}", 1, (_, n) => n + 1);
                    await Task.Delay(20);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.StartServerAsync();
        Volatile.Write(ref restarted, true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Volatile.Read(ref okAfterRestart) < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        output.WriteLine("errors seen: " + string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}")));
        Assert.NotEmpty(statuses);
        Assert.All(statuses.Keys, status => Assert.StartsWith("503 ", status, StringComparison.Ordinal));
        Assert.True(okAfterRestart >= 20, "requests did not recover after PostgreSQL came back:\n" + node.Output());
        Assert.DoesNotContain("Unhandled failure", node.Output(), StringComparison.Ordinal);
    }

    /// <summary>Buckets (a versioned source replicated to a replica), a role to assume, and a user allowed to assume it.</summary>
    private static async Task<BasicAWSCredentials> SetUpAsync(Cli root, string endpoint)
    {
        await root.RunAsync("iam", "create-role", "--role-name", "replication", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        await root.RunAsync("iam", "put-role-policy", "--role-name", "replication", "--policy-name", "replicate", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],"Resource":"*"}]}""");
        await root.RunAsync("iam", "create-role", "--role-name", "worker", "--assume-role-policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{ServeProcess.AccountId}}:root"},"Action":"sts:AssumeRole"}]}""");
        var loader = await root.CreateUserWithKeyAsync("loader");
        await root.RunAsync("iam", "put-user-policy", "--user-name", "loader", "--policy-name", "assume", "--policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{{Role}}"}]}""");
        using var s3 = S3(endpoint, retries: 4);
        foreach (var (bucket, region) in new[] { ("source", "eu-west-1"), ("replica", "eu-west-2") })
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = region });
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        await root.RunAsync("s3api", "put-bucket-replication", "--bucket", "source", "--replication-configuration",
            $$$"""{"Role":"arn:aws:iam::{{{ServeProcess.AccountId}}}:role/replication","Rules":[{"ID":"all","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::replica"}}]}""");
        return new BasicAWSCredentials(loader.AccessKeyId, loader.SecretAccessKey);
    }

    /// <summary>
    /// PUTs objects of 1–256 KiB (most past the inline limit, so their bodies go to the blob backend) and reads back earlier ones by version, checking their SHA-256. A request
    /// in flight when the load stops is let finish, so that what was acknowledged is recorded.
    /// </summary>
    private static async Task WriteAndReadAsync(string endpoint, int worker, ConcurrentDictionary<string, (string Key, byte[] Sha256, int Size)> acknowledged, ConcurrentQueue<string> failures, Action read, CancellationToken stop)
    {
        using var s3 = S3(endpoint, retries: 6);
        var random = new Random(worker);
        var mine = new List<(string VersionId, string Key, byte[] Sha256)>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var body = new byte[random.Next(1024, 256 * 1024)];
                random.NextBytes(body);
                var key = $"load/{worker}/{i % 50:D2}";
                var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "source", Key = key, InputStream = new MemoryStream(body) }, CancellationToken.None);
                var sha = SHA256.HashData(body);
                acknowledged[put.VersionId] = (key, sha, body.Length);
                mine.Add((put.VersionId, key, sha));

                var earlier = mine[random.Next(mine.Count)];
                using var got = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "source", Key = earlier.Key, VersionId = earlier.VersionId }, CancellationToken.None);
                if (!SHA256.HashData(await ReadAllAsync(got.ResponseStream)).SequenceEqual(earlier.Sha256))
                {
                    failures.Enqueue($"{earlier.Key} {earlier.VersionId}: read back different bytes");
                }

                read();
            }
            catch (AmazonServiceException e)
            {
                failures.Enqueue($"worker {worker}: {(int)e.StatusCode} {e.ErrorCode} {e.Message}");
            }
        }
    }

    private static async Task AssumeRoleAsync(string endpoint, AWSCredentials loader, ConcurrentQueue<string> failures, Action session, CancellationToken stop)
    {
        using var sts = new AmazonSecurityTokenServiceClient(loader, new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 6 });
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = Role, RoleSessionName = "load", DurationSeconds = 900 }, CancellationToken.None);
                using var asRole = new AmazonSecurityTokenServiceClient(assumed.Credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 6 });
                var identity = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest(), CancellationToken.None);
                if (!identity.Arn.Contains(":assumed-role/worker/load", StringComparison.Ordinal))
                {
                    failures.Enqueue("assumed role answered as " + identity.Arn);
                }

                session();
                await Task.Delay(100, CancellationToken.None);
            }
            catch (AmazonServiceException e)
            {
                failures.Enqueue($"sts: {(int)e.StatusCode} {e.ErrorCode} {e.Message}");
            }
        }
    }

    /// <summary>
    /// boto3 creating users one after another with its standard retries. A retried CreateUser whose
    /// first attempt was committed by a node that then died answers EntityAlreadyExists, as AWS may:
    /// the user exists, which is what the client asked for.
    /// </summary>
    private static async Task<List<string>> CreateUsersAsync(string endpoint, TimeSpan duration)
    {
        var result = await Boto3.RunAsync(endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, $$"""
            import time
            from botocore.config import Config
            from botocore.exceptions import ClientError
            iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1', config=Config(retries={'mode': 'standard', 'max_attempts': 8}))
            created, errors = [], []
            deadline = time.time() + {{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}}
            i = 0
            while time.time() < deadline:
                name = 'load-%03d' % i
                try:
                    iam.create_user(UserName=name, Path='/load/')
                    created.append(name)
                except ClientError as e:
                    if e.response['Error']['Code'] == 'EntityAlreadyExists' and e.response['ResponseMetadata'].get('RetryAttempts', 0) > 0:
                        created.append(name)
                    else:
                        errors.append('%s: %s' % (name, e))
                i += 1
                time.sleep(0.2)
            print(json.dumps({'created': created, 'errors': errors}))
            """);
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        return [.. result.GetProperty("created").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Which node holds the replication job's lease now (holders are named host:pid:nonce), if any.</summary>
    private static async Task<int?> ReplicationLeaderAsync(string database, ServeProcess?[] nodes)
    {
        var url = new Uri(database);
        await using var connection = new NpgsqlConnection($"Host={url.Host};Port={url.Port};Username=postgres;Database={url.AbsolutePath.TrimStart('/')};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT holder FROM leases WHERE name = 's3-replication'", connection);
        if (await command.ExecuteScalarAsync() is not string holder)
        {
            return null;
        }

        var pid = int.Parse(holder.Split(':')[1], CultureInfo.InvariantCulture);
        var index = Array.FindIndex(nodes, n => n?.ProcessId == pid);
        return index < 0 ? null : index;
    }

    private static async Task<HashSet<string>> VersionIdsAsync(IAmazonS3 s3, string bucket)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        var request = new ListVersionsRequest { BucketName = bucket };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request);
            all.UnionWith((page.Versions ?? []).Select(v => v.VersionId));
            if (page.IsTruncated != true)
            {
                return all;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    private static AmazonS3Client S3(string endpoint, int retries) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = retries,
        });

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
