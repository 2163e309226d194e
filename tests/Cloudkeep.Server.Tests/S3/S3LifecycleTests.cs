using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// The tests that move the server's clock by days run alone: the AWS SDK for .NET then signs at
/// the moved time through its process-wide clock correction, which would skew every other test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MovedClockTests
{
    public const string Name = "moved clock";
}

/// <summary>A server whose lifecycle job runs every 200 ms on a clock the tests move by days.</summary>
public class S3LifecycleEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal readonly ShiftableClock Clock = new();
    internal TestServer Server = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), time: Clock, lifecycleInterval: TimeSpan.FromMilliseconds(200));

    public async Task DisposeAsync()
    {
        Amazon.AWSConfigs.ManualClockCorrection = null;
        await Server.DisposeAsync();
    }

    /// <summary>Moves the server's clock, and the SDK's signing clock with it (SigV4 refuses requests 15 minutes off).</summary>
    internal void Advance(TimeSpan by)
    {
        Clock.Offset += by;
        Amazon.AWSConfigs.ManualClockCorrection = Clock.Offset;
    }
}

/// <summary>
/// Lifecycle configurations through the AWS SDK for .NET and the AWS CLI, and the job that applies
/// them: expiry after days (a delete marker on a versioned bucket, gone on an unversioned one),
/// noncurrent versions, delete markers that hide nothing, abandoned multipart uploads, transitions,
/// and x-amz-expiration. The clock only moves forward, so tests sharing it stay independent: each
/// uses its own bucket and waits for the job by polling, bounded.
/// </summary>
[Collection(MovedClockTests.Name)]
public abstract class S3LifecycleTests(S3LifecycleEstate estate)
{
    private TestServer Server => estate.Server;

    private static LifecycleConfiguration Rules(params LifecycleRule[] rules) => new() { Rules = [.. rules] };

    private static LifecycleRule Rule(string id, string prefix) =>
        new() { Id = id, Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = prefix } } };

    /// <summary>A request signed at the server's time, answered as status and body.</summary>
    private async Task<(int Status, string Body)> RawAsync(string method, string bucket, string subresource, string? body = null)
    {
        var request = new RawRequest { Method = method, PathSegments = [RawRequest.Utf8(bucket)], Body = RawRequest.Utf8(body ?? ""), ContentType = body is null ? null : "application/xml" };
        request.Query.Add((RawRequest.Utf8(subresource), []));
        if (body is not null)
        {
            request.Headers.Add(("Content-MD5", RawRequest.Utf8(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(request.Body)))));
        }

        using var http = RawRequest.NewClient();
        using var message = request.ToSignedMessage(new Uri(Server.Endpoint), "s3", "eu-west-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, estate.Clock.GetUtcNow());
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(AmazonS3Client S3, string Bucket)> BucketAsync(string name, bool versioned)
    {
        var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket(name);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        if (versioned)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        return (s3, bucket);
    }

    /// <summary>Waits (bounded) until the condition holds; the job runs every 200 ms.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the lifecycle job did not " + what + " within 15 s");
    }

    private async Task<List<string>> CurrentKeysAsync(IAmazonS3 s3, string bucket) =>
        [.. ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key)];

    [Fact]
    public async Task Configuration_RoundTrips_WithGeneratedIds_AndDeleteLeavesNone()
    {
        var (s3, bucket) = await BucketAsync("lcconf", versioned: false);
        using var client = s3;
        var missing = await RawAsync("GET", bucket, "lifecycle");
        Assert.Equal(404, missing.Status);
        Assert.Contains("<Code>NoSuchLifecycleConfiguration</Code>", missing.Body, StringComparison.Ordinal);

        var noId = Rule("", "tmp/");
        noId.Id = null;
        noId.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 };
        var dumps = Rule("dumps", "dumps/");
        dumps.Expiration = new LifecycleRuleExpiration { Days = 180 };
        dumps.Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }];
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = Rules(noId, dumps) });

        var read = (await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration.Rules;
        Assert.Equal(2, read.Count);
        Assert.False(string.IsNullOrEmpty(read[0].Id));
        Assert.Equal(7, read[0].AbortIncompleteMultipartUpload.DaysAfterInitiation);
        Assert.Equal(("dumps", 180, 30), (read[1].Id, read[1].Expiration.Days, read[1].Transitions.Single().Days));

        await s3.DeleteLifecycleConfigurationAsync(new DeleteLifecycleConfigurationRequest { BucketName = bucket });
        Assert.Equal(404, (await RawAsync("GET", bucket, "lifecycle")).Status);
    }

    public static TheoryData<string, string, int> BadConfigurations => new()
    {
        { "<LifecycleConfiguration></LifecycleConfiguration>", "MalformedXML", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>", "MalformedXML", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status></Rule></LifecycleConfiguration>", "InvalidRequest", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule></LifecycleConfiguration>", "MalformedXML", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { $"<LifecycleConfiguration><Rule><ID>{new string('i', 256)}</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>", "InvalidRequest", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><Transition><Days>10</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix/></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>", "InvalidArgument", 400 },
        { "<LifecycleConfiguration><Rule><ID>a</ID><Prefix>x</Prefix><Filter><Prefix/></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>", "MalformedXML", 400 },
        { "<LifecycleConfiguration><Rule>", "MalformedXML", 400 },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task PutLifecycle_BadConfiguration_IsRefusedAndTheOldOneStays(string body, string code, int status)
    {
        var (s3, bucket) = await BucketAsync("lcbad", versioned: false);
        using var client = s3;
        var good = Rule("keep", "logs/");
        good.Expiration = new LifecycleRuleExpiration { Days = 30 };
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = Rules(good) });

        var (answerStatus, answer) = await RawAsync("PUT", bucket, "lifecycle", body);
        Assert.Equal(status, answerStatus);
        Assert.Contains($"<Code>{code}</Code>", answer, StringComparison.Ordinal);

        var kept = (await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration.Rules.Single();
        Assert.Equal(("keep", 30), (kept.Id, kept.Expiration.Days));
    }

    [Fact]
    public async Task BackupsBucket_DailyDumpsOver200Days_KeepTheLast180_AndNoOneCanDestroyAVersion()
    {
        var (s3, bucket) = await BucketAsync("backups", versioned: true);
        using var client = s3;
        var rule = Rule("expire-dumps", "dumps/");
        rule.Expiration = new LifecycleRuleExpiration { Days = 180 };
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = Rules(rule) });
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = bucket,
            Policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""",
        });

        // One dump a simulated day, written at 03:00 UTC as a nightly backup would be.
        var start = estate.Clock.GetUtcNow();
        var day0 = new DateTimeOffset(start.Year, start.Month, start.Day, 3, 0, 0, TimeSpan.Zero).AddDays(1);
        estate.Advance(day0 - start);
        var versions = new Dictionary<int, string>();
        for (var day = 0; day < 200; day++)
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"dumps/{day:D3}.sql.gz", ContentBody = "dump " + day });
            versions[day] = put.VersionId;
            if (day == 199)
            {
                // S3 rounds an object's age up to the next midnight UTC: written on day 199 at 03:00, due on day 380 at 00:00.
                Assert.Equal(("expire-dumps", day0.AddDays(380).UtcDateTime.Date), (put.Expiration.RuleId, put.Expiration.ExpiryDate.ToUniversalTime()));
            }

            estate.Advance(TimeSpan.FromDays(1));
        }

        // Now is day 200 at 03:00: the dumps of days 0-19 are due (day n's at midnight starting day n+181); 180 remain.
        await EventuallyAsync(async () => (await CurrentKeysAsync(s3, bucket)).Count == 180, "expire the dumps older than 180 days");
        var keys = await CurrentKeysAsync(s3, bucket);
        Assert.Equal("dumps/020.sql.gz", keys[0]);
        Assert.Equal("dumps/199.sql.gz", keys[^1]);

        // Expired on a versioned bucket means a delete marker: the dump itself is still there, and
        // nobody can destroy it while the bucket policy denies s3:DeleteObjectVersion.
        var all = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = "dumps/000" });
        Assert.Equal([true, false], all.Versions.Select(v => v.IsDeleteMarker == true));
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dumps/000.sql.gz", VersionId = versions[0] }));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        using var old = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "dumps/000.sql.gz", VersionId = versions[0] });
        Assert.Equal("dump 0", await new StreamReader(old.ResponseStream).ReadToEndAsync());

        var metrics = await new HttpClient().GetStringAsync(Server.Endpoint + "/_cloudkeep/metrics");
        Assert.Contains("cloudkeep_s3_lifecycle_expired_total", metrics, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_s3_lifecycle_last_run_timestamp_seconds", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnversionedBucket_ExpiryDeletes_AndNoncurrentRulesKeepTheNewestVersions()
    {
        var (plain, plainBucket) = await BucketAsync("lcplain", versioned: false);
        using var plainClient = plain;
        var expire = Rule("tmp", "tmp/");
        expire.Expiration = new LifecycleRuleExpiration { Days = 1 };
        await plain.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = plainBucket, Configuration = Rules(expire) });
        await plain.PutObjectAsync(new PutObjectRequest { BucketName = plainBucket, Key = "tmp/a", ContentBody = "a" });
        await plain.PutObjectAsync(new PutObjectRequest { BucketName = plainBucket, Key = "keep/b", ContentBody = "b" });

        var (versioned, bucket) = await BucketAsync("lcnoncur", versioned: true);
        using var versionedClient = versioned;
        var noncurrent = Rule("old-versions", "");
        noncurrent.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1, NewerNoncurrentVersions = 2 };
        await versioned.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = Rules(noncurrent) });
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await versioned.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "v" + i })).VersionId);
        }

        estate.Advance(TimeSpan.FromDays(3));
        await EventuallyAsync(async () => (await CurrentKeysAsync(plain, plainBucket)).SequenceEqual(["keep/b"]), "delete the expired object");
        Assert.Empty((await plain.ListVersionsAsync(new ListVersionsRequest { BucketName = plainBucket, Prefix = "tmp/" })).Versions ?? []);

        // Current v4 stays, and the two newest noncurrent versions (v3, v2); v1 and v0 go.
        await EventuallyAsync(async () => (await versioned.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions?.Count == 3, "expire the old noncurrent versions");
        Assert.Equal([ids[4], ids[3], ids[2]], (await versioned.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Select(v => v.VersionId));
    }

    [Fact]
    public async Task LoneDeleteMarkers_AndAbandonedUploads_AreCleanedUp_AndTransitionsChangeTheStorageClass()
    {
        var (s3, bucket) = await BucketAsync("lcclean", versioned: true);
        using var client = s3;
        var markers = Rule("markers", "");
        markers.Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true };
        markers.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1 };
        markers.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 2 };
        var archive = Rule("archive", "archive/");
        archive.Transitions = [new LifecycleTransition { Days = 1, StorageClass = S3StorageClass.Glacier }];
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = Rules(markers, archive) });

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "gone", ContentBody = "x" });
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "gone" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "archive/report", ContentBody = "r" });
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "big" });

        estate.Advance(TimeSpan.FromDays(4));
        await EventuallyAsync(async () =>
        {
            var listed = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
            return (listed.Versions ?? []).Select(v => v.Key).SequenceEqual(["archive/report"]) && (uploads.MultipartUploads ?? []).Count == 0;
        }, "remove the noncurrent version, then the lone delete marker, and abort the upload");
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "archive/report" });
        Assert.Equal(S3StorageClass.Glacier, head.StorageClass);
        Assert.NotNull(upload.UploadId);
    }
}

/// <summary>A lifecycle pass cut short by a restart: nothing is half-expired, and the next start finishes the work.</summary>
[Collection(MovedClockTests.Name)]
public sealed class S3LifecycleRestartTests
{
    private const int Objects = 1200;

    [Fact]
    public async Task RestartMidPass_LeavesEveryObjectWholeOrGone_AndTheNextStartFinishes()
    {
        using var data = new TempDirectory();
        var clock = new ShiftableClock();
        var bucket = S3Clients.UniqueBucket("lcrestart");
        try
        {
            await using (var first = await TestServer.StartAsync(dataDirectory: data.Path, time: clock, lifecycleInterval: TimeSpan.FromMilliseconds(200)))
            {
                using var s3 = S3Clients.Root(first);
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
                await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
                {
                    BucketName = bucket,
                    Configuration = new LifecycleConfiguration
                    {
                        Rules = [new LifecycleRule { Id = "all", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } }, Expiration = new LifecycleRuleExpiration { Days = 1 } }],
                    },
                });
                await Parallel.ForEachAsync(Enumerable.Range(0, Objects), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k/{i:D5}", ContentBody = "x" }, cancellationToken));

                clock.Offset += TimeSpan.FromDays(3);
                Amazon.AWSConfigs.ManualClockCorrection = clock.Offset;

                // Stop as soon as the pass has begun: it is very likely still running.
                for (var attempt = 0; attempt < 200 && await CountAsync(s3, bucket) == Objects; attempt++)
                {
                    await Task.Delay(20);
                }
            }

            // The state the cut left, looked at with the job off: what is listed is whole.
            await using (var stopped = await TestServer.StartAsync(dataDirectory: data.Path, time: clock))
            {
                using var look = S3Clients.Root(stopped);
                var listed = ((await look.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key).ToList();
                foreach (var key in listed.Take(100))
                {
                    using var read = await look.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
                    Assert.Equal("x", await new StreamReader(read.ResponseStream).ReadToEndAsync());
                }
            }

            await using var second = await TestServer.StartAsync(dataDirectory: data.Path, time: clock, lifecycleInterval: TimeSpan.FromMilliseconds(200));
            using var after = S3Clients.Root(second);
            for (var attempt = 0; attempt < 300 && await CountAsync(after, bucket) > 0; attempt++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(0, await CountAsync(after, bucket));
        }
        finally
        {
            Amazon.AWSConfigs.ManualClockCorrection = null;
        }
    }

    private static async Task<int> CountAsync(IAmazonS3 s3, string bucket)
    {
        var total = 0;
        var request = new ListObjectsV2Request { BucketName = bucket };
        do
        {
            var page = await s3.ListObjectsV2Async(request);
            total += page.KeyCount ?? 0;
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
        return total;
    }
}

/// <summary>
/// The seed's backups account: its own member account, a CI identity with every S3 permission there,
/// a versioned dumps bucket with Object Lock (GOVERNANCE, 30 days by default), a 180-day expiry and a
/// bucket policy denying s3:DeleteObjectVersion. Dumps are written daily by CI over 200 simulated days.
/// </summary>
[Collection(MovedClockTests.Name)]
public sealed class S3BackupsAccountTests
{
    [Fact]
    public async Task BackupsAccount_CiWritesDailyDumps_OldOnesExpire_AndNeitherCiNorAnAdminCanDestroyOne()
    {
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock, lifecycleInterval: TimeSpan.FromMilliseconds(200));
        try
        {
            // Set-up through the AWS CLI, before the clock moves: the backups account, and CI in it.
            var root = Cli.Root(server);
            var account = (await root.RunAsync("organizations", "create-account", "--email", "backups@example.invalid", "--account-name", "backups"))
                .GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
            await root.RunAsync("iam", "create-group", "--group-name", "admins");
            await root.RunAsync("iam", "attach-group-policy", "--group-name", "admins", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
            var operatorUser = await root.CreateUserWithKeyAsync("operator", "admins");
            var session = (await operatorUser.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", "--role-session-name", "setup"))
                .GetProperty("Credentials");
            var admin = new Cli(server.Endpoint, session.GetProperty("AccessKeyId").GetString()!, session.GetProperty("SecretAccessKey").GetString()!, session.GetProperty("SessionToken").GetString());
            var ci = await admin.CreateUserWithKeyAsync("ci");
            await admin.RunAsync("iam", "put-user-policy", "--user-name", "ci", "--policy-name", "s3", "--policy-document",
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
            var bucket = S3Clients.UniqueBucket("backups");
            await admin.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
            await admin.RunAsync("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
                """{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}""");
            await admin.RunAsync("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration",
                """{"Rules":[{"ID":"expire-dumps","Status":"Enabled","Filter":{"Prefix":"dumps/"},"Expiration":{"Days":180}}]}""");
            await admin.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");

            using var s3 = S3Clients.For(server, new Amazon.Runtime.BasicAWSCredentials(ci.AccessKeyId, ci.SecretAccessKey));
            var versions = new List<string> { (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dumps/000.sql.gz", ContentBody = "dump 0" })).VersionId };

            // The account's administrators cannot destroy a dump either (the bucket policy's Deny wins).
            var byAdmin = await admin.FailAsync("s3api", "delete-object", "--bucket", bucket, "--key", "dumps/000.sql.gz", "--version-id", versions[0], "--bypass-governance-retention");
            Assert.Contains("AccessDenied", byAdmin, StringComparison.Ordinal);

            clock.Offset += TimeSpan.FromDays(1);
            Amazon.AWSConfigs.ManualClockCorrection = clock.Offset;
            for (var day = 1; day < 200; day++)
            {
                versions.Add((await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"dumps/{day:D3}.sql.gz", ContentBody = "dump " + day })).VersionId);
                clock.Offset += TimeSpan.FromDays(1);
                Amazon.AWSConfigs.ManualClockCorrection = clock.Offset;
            }

            // The last 180 days stay current; the oldest 20 are hidden behind delete markers (whatever the
            // hour the loop started, a day's dump is due at the midnight 181 days on).
            for (var attempt = 0; attempt < 150 && ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).KeyCount ?? 0) > 180; attempt++)
            {
                await Task.Delay(100);
            }

            var current = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? [];
            Assert.InRange(current.Count, 179, 180);
            Assert.Equal("dumps/199.sql.gz", current[^1].Key);

            // A recent dump is locked and the policy denies version deletes: CI cannot destroy it, even
            // with the governance bypass, nor an expired one whose lock has ended.
            var byCi = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest
            {
                BucketName = bucket, Key = "dumps/199.sql.gz", VersionId = versions[199], BypassGovernanceRetention = true,
            }));
            Assert.Equal("AccessDenied", byCi.ErrorCode);
            var old = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dumps/000.sql.gz", VersionId = versions[0] }));
            Assert.Equal("AccessDenied", old.ErrorCode);
            using var read = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "dumps/199.sql.gz", VersionId = versions[199] });
            Assert.Equal("dump 199", await new StreamReader(read.ResponseStream).ReadToEndAsync());
            Assert.Equal(200, ((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000 })).Versions ?? []).Count(v => v.IsDeleteMarker != true));
        }
        finally
        {
            Amazon.AWSConfigs.ManualClockCorrection = null;
        }
    }
}

public sealed class S3LifecycleEstateOnPostgres : S3LifecycleEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3LifecycleTestsOnSqlite(S3LifecycleEstate estate) : S3LifecycleTests(estate), IClassFixture<S3LifecycleEstate>;

public sealed class S3LifecycleTestsOnPostgres(S3LifecycleEstateOnPostgres estate) : S3LifecycleTests(estate), IClassFixture<S3LifecycleEstateOnPostgres>;
