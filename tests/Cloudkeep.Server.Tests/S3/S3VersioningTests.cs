using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>One server shared by the versioning tests; each test makes its own bucket.</summary>
public class S3VersioningEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal TestServer Server = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Bucket versioning through the AWS SDK for .NET, boto3 and the AWS CLI: versions, the null
/// version, delete markers, reads and deletes by version id, ListObjectVersions paging, copies of
/// old versions, version-specific IAM actions.
/// </summary>
public abstract class S3VersioningTests(S3VersioningEstate estate)
{
    private TestServer Server => estate.Server;

    private async Task<(AmazonS3Client S3, string Bucket)> VersionedBucketAsync(string name, string status = "Enabled")
    {
        var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket(name);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = status } });
        return (s3, bucket);
    }

    private static async Task<string> BodyAsync(IAmazonS3 s3, string bucket, string key, string? versionId = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Versioning_NewBucket_IsUnsetAndThenEnabled()
    {
        using var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket("vset");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        Assert.Equal(VersionStatus.Off, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);

        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);

        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } });
        Assert.Equal(VersionStatus.Suspended, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task EnabledBucket_EveryWriteIsAVersion_ReadableById_AndDeleteAddsAMarker()
    {
        var (s3, bucket) = await VersionedBucketAsync("venabled");
        using var client = s3;
        var ids = new List<string>();
        foreach (var body in new[] { "one", "two", "three" })
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = body });
            Assert.Equal(32, put.VersionId.Length);
            ids.Add(put.VersionId);
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal("three", await BodyAsync(s3, bucket, "doc"));
        Assert.Equal("one", await BodyAsync(s3, bucket, "doc", ids[0]));
        Assert.Equal("two", await BodyAsync(s3, bucket, "doc", ids[1]));
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc", VersionId = ids[0] });
        Assert.Equal(ids[0], head.VersionId);

        var deleted = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc" });
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.Equal(32, deleted.VersionId.Length);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => BodyAsync(s3, bucket, "doc"));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (missing.ErrorCode, missing.StatusCode));
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);

        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal([deleted.VersionId, ids[2], ids[1], ids[0]], versions.Versions.Select(v => v.VersionId));
        Assert.Equal([true, false, false, false], versions.Versions.Select(v => v.IsLatest == true));
        Assert.Equal([true, false, false, false], versions.Versions.Select(v => v.IsDeleteMarker == true));

        // Removing the marker brings the object back; removing a version for good takes it out of the list.
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = deleted.VersionId });
        Assert.Equal("three", await BodyAsync(s3, bucket, "doc"));
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc", VersionId = ids[2] });
        Assert.Equal("two", await BodyAsync(s3, bucket, "doc"));
        Assert.Equal([ids[1], ids[0]], (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Select(v => v.VersionId));
    }

    [Fact]
    public async Task ObjectsBeforeVersioning_AreTheNullVersion_AndSuspendedWritesReplaceIt()
    {
        using var s3 = S3Clients.Root(Server);
        var bucket = S3Clients.UniqueBucket("vnull");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var plain = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "before" });
        Assert.Null(plain.VersionId);

        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "enabled" });
        Assert.Equal("before", await BodyAsync(s3, bucket, "k", "null"));

        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } });
        var suspended = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "suspended" });
        Assert.Equal("null", suspended.VersionId);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "suspended again" });

        var versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal(["null", v1.VersionId], versions.Select(v => v.VersionId));
        Assert.Equal("suspended again", await BodyAsync(s3, bucket, "k", "null"));
        Assert.Equal("enabled", await BodyAsync(s3, bucket, "k", v1.VersionId));

        var marker = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k" });
        Assert.Equal(("true", "null"), (marker.DeleteMarker, marker.VersionId));
        versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal([("null", true), (v1.VersionId, false)], versions.Select(v => (v.VersionId, v.IsDeleteMarker == true)));
    }

    [Fact]
    public async Task DeleteMarkers_AnswerWithTheirHeaders_AndVersionErrorsAreS3s()
    {
        var (s3, bucket) = await VersionedBucketAsync("vheaders");
        s3.Dispose();
        var result = await Boto3.RunAsync(Server, $$"""
            from botocore.config import Config
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
            put = s3.put_object(Bucket='{{bucket}}', Key='k', Body=b'x')
            marker = s3.delete_object(Bucket='{{bucket}}', Key='k')
            out = {'put': put['VersionId'], 'marker': marker['VersionId'], 'markerFlag': marker['DeleteMarker']}
            def status(call):
                try:
                    call()
                    return None
                except s3.exceptions.ClientError as e:
                    r = e.response
                    return [r['Error']['Code'], r['ResponseMetadata']['HTTPStatusCode'], r['ResponseMetadata']['HTTPHeaders'].get('x-amz-delete-marker'), r['ResponseMetadata']['HTTPHeaders'].get('x-amz-version-id')]
            out['get'] = status(lambda: s3.get_object(Bucket='{{bucket}}', Key='k'))
            out['head'] = status(lambda: s3.head_object(Bucket='{{bucket}}', Key='k'))
            out['getMarker'] = status(lambda: s3.get_object(Bucket='{{bucket}}', Key='k', VersionId=marker['VersionId']))
            out['unknown'] = status(lambda: s3.get_object(Bucket='{{bucket}}', Key='k', VersionId='A' * 32))
            out['malformed'] = status(lambda: s3.get_object(Bucket='{{bucket}}', Key='k', VersionId='not a version'))
            out['old'] = s3.get_object(Bucket='{{bucket}}', Key='k', VersionId=put['VersionId'])['VersionId']
            print(json.dumps(out))
            """);
        var marker = result.GetProperty("marker").GetString();
        Assert.True(result.GetProperty("markerFlag").GetBoolean());
        Assert.Equal($"NoSuchKey|404|true|{marker}", Row(result, "get"));
        Assert.Equal($"404|404|true|{marker}", Row(result, "head"));
        Assert.Equal($"MethodNotAllowed|405|true|{marker}", Row(result, "getMarker"));
        Assert.Equal("NoSuchVersion|404||", Row(result, "unknown"));
        Assert.Equal("InvalidArgument|400||", Row(result, "malformed"));
        Assert.Equal(result.GetProperty("put").GetString(), result.GetProperty("old").GetString());
    }

    /// <summary>A probe's answer as "code|status|x-amz-delete-marker|x-amz-version-id" (absent headers empty).</summary>
    private static string Row(System.Text.Json.JsonElement result, string name) =>
        string.Join('|', result.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.Number ? e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : e.GetString() ?? ""));

    [Fact]
    public async Task ListObjectVersions_PagesWithKeyAndVersionMarkers_AndRollsUpPrefixes()
    {
        var (s3, bucket) = await VersionedBucketAsync("vpages");
        using var client = s3;
        var expected = new List<(string Key, string VersionId)>();
        foreach (var key in new[] { "a", "dir/x", "dir/y", "z" })
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key + i })).VersionId);
            }

            ids.Reverse();
            expected.AddRange(ids.Select(id => (key, id)));
        }

        var seen = new List<(string, string)>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 4 };
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await s3.ListVersionsAsync(request);
            seen.AddRange(page.Versions.Select(v => (v.Key, v.VersionId)));
            if (page.IsTruncated != true)
            {
                break;
            }

            Assert.Equal(4, page.Versions.Count);
            (request.KeyMarker, request.VersionIdMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }

        Assert.Equal(expected, seen);

        var rolled = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["dir/"], rolled.CommonPrefixes);
        Assert.Equal(["a", "a", "a", "z", "z", "z"], rolled.Versions.Select(v => v.Key));
        var prefixed = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = "dir/" });
        Assert.Equal(6, prefixed.Versions.Count);
    }

    [Fact]
    public async Task ListObjectVersions_ThroughTheAwsCliPaginator_ReturnsEveryVersionAndMarker()
    {
        var (s3, bucket) = await VersionedBucketAsync("vcli");
        using var client = s3;
        for (var i = 0; i < 7; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i % 3}", ContentBody = "x" });
        }

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k1" });
        var cli = Cli.Root(Server);
        var listed = await cli.RunAsync("s3api", "list-object-versions", "--bucket", bucket, "--page-size", "2");
        Assert.Equal(7, listed.GetProperty("Versions").GetArrayLength());
        Assert.Equal(1, listed.GetProperty("DeleteMarkers").GetArrayLength());
        Assert.Equal("k1", listed.GetProperty("DeleteMarkers")[0].GetProperty("Key").GetString());

        var versioning = await cli.RunAsync("s3api", "get-bucket-versioning", "--bucket", bucket);
        Assert.Equal("Enabled", versioning.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task DeleteObjects_WithVersionIds_RemovesVersionsAndReportsMarkers()
    {
        var (s3, bucket) = await VersionedBucketAsync("vbatch");
        using var client = s3;
        var v1 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "1" })).VersionId;
        var v2 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "2" })).VersionId;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b", ContentBody = "b" });

        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "a", VersionId = v1 }, new KeyVersion { Key = "b" }],
        });
        var byKey = result.DeletedObjects.ToDictionary(d => d.Key);
        Assert.Equal(v1, byKey["a"].VersionId);
        Assert.NotEqual(true, byKey["a"].DeleteMarker);
        Assert.True(byKey["b"].DeleteMarker);
        Assert.Equal(32, byKey["b"].DeleteMarkerVersionId.Length);

        var versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal([("a", v2, false), ("b", byKey["b"].DeleteMarkerVersionId, true)], versions.Where(v => v.IsLatest == true).Select(v => (v.Key, v.VersionId, v.IsDeleteMarker == true)));
    }

    [Fact]
    public async Task CopyObject_FromAnOldVersion_RestoresItAsTheNewest()
    {
        var (s3, bucket) = await VersionedBucketAsync("vcopy");
        using var client = s3;
        var v1 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "report", ContentBody = "good" })).VersionId;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "report", ContentBody = "broken" });

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "report", SourceVersionId = v1, DestinationBucket = bucket, DestinationKey = "report" });
        Assert.Equal(v1, copy.SourceVersionId);
        Assert.Equal(32, copy.VersionId.Length);
        Assert.Equal("good", await BodyAsync(s3, bucket, "report"));
        Assert.Equal(3, (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions.Count);
    }

    [Fact]
    public async Task TaggingByVersion_ChangesOnlyThatVersion()
    {
        var (s3, bucket) = await VersionedBucketAsync("vtags");
        using var client = s3;
        var v1 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "t", ContentBody = "1" })).VersionId;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "t", ContentBody = "2", TagSet = [new Tag { Key = "gen", Value = "2" }] });

        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "t", VersionId = v1, Tagging = new Tagging { TagSet = [new Tag { Key = "gen", Value = "1" }] } });
        var old = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t", VersionId = v1 });
        var current = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" });
        Assert.Equal(("1", v1), (old.Tagging.Single().Value, old.VersionId));
        Assert.Equal("2", current.Tagging.Single().Value);
    }

    [Fact]
    public async Task MultipartCompletion_OnAVersionedBucket_AnswersItsVersionId()
    {
        var (s3, bucket) = await VersionedBucketAsync("vmulti");
        using var client = s3;
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "big" });
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1024]) });
        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Equal(32, done.VersionId.Length);
        Assert.Equal(done.VersionId, (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "big" })).VersionId);
    }

    [Fact]
    public async Task VersionActions_AreTheirOwn_AndABucketPolicyCanForbidPermanentDeletes()
    {
        var (s3, bucket) = await VersionedBucketAsync("viam");
        using var client = s3;
        var v1 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dump", ContentBody = "1" })).VersionId;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dump", ContentBody = "2" });
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = bucket,
            Policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""",
        });

        var root = Cli.Root(Server);
        var user = await root.CreateUserWithKeyAsync("vreader-" + Guid.NewGuid().ToString("N")[..8]);
        await root.RunAsync("iam", "put-user-policy", "--user-name", await UserNameAsync(user), "--policy-name", "s3", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"}]}""");
        await Task.Delay(TimeSpan.FromSeconds(0.1));
        using var reader = S3Clients.For(Server, user);
        Assert.Equal("2", await BodyAsync(reader, bucket, "dump"));
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => BodyAsync(reader, bucket, "dump", v1));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        // Not even the bucket owner's root can destroy a version while the policy denies it; a delete marker is still allowed.
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dump", VersionId = v1 }));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        var marker = await reader.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "dump" });
        Assert.Equal("true", marker.DeleteMarker);
        Assert.Equal("1", await BodyAsync(s3, bucket, "dump", v1));
    }

    private static async Task<string> UserNameAsync(Cli user) =>
        (await user.RunAsync("sts", "get-caller-identity")).GetProperty("Arn").GetString()!.Split('/')[^1];

    [Theory]
    [InlineData("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>On</Status></VersioningConfiguration>", "MalformedXML")]
    [InlineData("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><MfaDelete>Maybe</MfaDelete></VersioningConfiguration>", "MalformedXML")]
    [InlineData("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></VersioningConfiguration>", "MalformedXML")]
    [InlineData("<VersioningConfiguration", "MalformedXML")]
    public async Task PutBucketVersioning_BadConfiguration_IsRefusedAndChangesNothing(string body, string code)
    {
        var (s3, bucket) = await VersionedBucketAsync("vbad", "Suspended");
        using var client = s3;
        var request = new RawRequest { Method = "PUT", PathSegments = [RawRequest.Utf8(bucket)], Body = RawRequest.Utf8(body), ContentType = "application/xml" };
        request.Query.Add((RawRequest.Utf8("versioning"), []));
        using var http = RawRequest.NewClient();
        using var message = request.ToSignedMessage(new Uri(Server.Endpoint), "s3", "eu-west-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(message);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<Code>{code}</Code>", answer, StringComparison.Ordinal);
        Assert.Equal(VersionStatus.Suspended, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task LifecycleAndObjectLock_ThroughTheAwsCliAndBoto3()
    {
        var cli = Cli.Root(Server);
        var bucket = S3Clients.UniqueBucket("vtools");
        await cli.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
        await cli.RunAsync("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
            """{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":3}}}""");
        await cli.RunAsync("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration",
            """{"Rules":[{"ID":"dumps","Status":"Enabled","Filter":{"Prefix":"dumps/"},"Expiration":{"Days":180},"NoncurrentVersionExpiration":{"NoncurrentDays":7}}]}""");
        var lifecycle = await cli.RunAsync("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket);
        Assert.Equal(180, lifecycle.GetProperty("Rules")[0].GetProperty("Expiration").GetProperty("Days").GetInt32());
        var refused = await cli.FailAsync("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended");
        Assert.Contains("InvalidBucketState", refused, StringComparison.Ordinal);

        var result = await Boto3.RunAsync(Server, $$"""
            from botocore.config import Config
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
            put = s3.put_object(Bucket='{{bucket}}', Key='dumps/2026-12-06.sql.gz', Body=b'dump')
            head = s3.head_object(Bucket='{{bucket}}', Key='dumps/2026-12-06.sql.gz')
            out = {'mode': head['ObjectLockMode'], 'expiration': head.get('Expiration', ''), 'lock': s3.get_object_lock_configuration(Bucket='{{bucket}}')['ObjectLockConfiguration']['Rule']['DefaultRetention']['Days']}
            try:
                s3.delete_object(Bucket='{{bucket}}', Key='dumps/2026-12-06.sql.gz', VersionId=put['VersionId'])
                out['delete'] = 'deleted'
            except s3.exceptions.ClientError as e:
                out['delete'] = e.response['Error']['Code']
            s3.put_object_legal_hold(Bucket='{{bucket}}', Key='dumps/2026-12-06.sql.gz', VersionId=put['VersionId'], LegalHold={'Status': 'ON'})
            out['hold'] = s3.get_object_legal_hold(Bucket='{{bucket}}', Key='dumps/2026-12-06.sql.gz', VersionId=put['VersionId'])['LegalHold']['Status']
            print(json.dumps(out))
            """);
        Assert.Equal("GOVERNANCE", result.GetProperty("mode").GetString());
        Assert.Contains("rule-id=\"dumps\"", result.GetProperty("expiration").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, result.GetProperty("lock").GetInt32());
        Assert.Equal("AccessDenied", result.GetProperty("delete").GetString());
        Assert.Equal("ON", result.GetProperty("hold").GetString());
    }

    [Theory]
    [InlineData(null, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("k", "not a version", null)]
    [InlineData(null, null, "bogus")]
    public async Task ListObjectVersions_BadParameters_AreInvalidArgument(string? keyMarker, string? versionIdMarker, string? encodingType)
    {
        var (s3, bucket) = await VersionedBucketAsync("vlistbad");
        using var client = s3;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListVersionsAsync(new ListVersionsRequest
        {
            BucketName = bucket, KeyMarker = keyMarker, VersionIdMarker = versionIdMarker, Encoding = encodingType is null ? null : new EncodingType(encodingType),
        }));
        Assert.Equal(("InvalidArgument", HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Single((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions);
    }
}

public sealed class S3VersioningEstateOnPostgres : S3VersioningEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3VersioningTestsOnSqlite(S3VersioningEstate estate) : S3VersioningTests(estate), IClassFixture<S3VersioningEstate>;

public sealed class S3VersioningTestsOnPostgres(S3VersioningEstateOnPostgres estate) : S3VersioningTests(estate), IClassFixture<S3VersioningEstateOnPostgres>;
