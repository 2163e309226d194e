using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// The replication estate: main (source buckets in eu-west-1, replicas in eu-west-2) with a
/// `replication` role that trusts S3 and may replicate, a `half` role that may read but not write
/// replicas, an `untrusting` role S3 may not assume; and a partner account (created through
/// Organizations) holding a cross-account destination, administered through its access role.
/// </summary>
public class S3ReplicationEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal TestServer Server = null!;
    internal Cli Root = null!;
    internal Cli PartnerAdmin = null!;
    internal string PartnerAccount = "";

    internal string RoleArn(string name) => $"arn:aws:iam::{Server.AccountId}:role/{name}";

    private const string TrustS3 = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        Root = Cli.Root(Server);
        (PartnerAccount, PartnerAdmin) = await MemberAccounts.CreateAsync(Root, "replica");

        await RoleAsync("replication", TrustS3, """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["s3:GetReplicationConfiguration","s3:ListBucket"],"Resource":"*"},
              {"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:GetObjectVersionAcl","s3:GetObjectVersionTagging"],"Resource":"*"},
              {"Effect":"Allow","Action":["s3:ReplicateObject","s3:ReplicateDelete","s3:ReplicateTags"],"Resource":"*"}]}
            """);
        await RoleAsync("half", TrustS3, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjectVersionForReplication","Resource":"*"}]}""");
        await RoleAsync("untrusting", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Server.AccountId}}:root"},"Action":"sts:AssumeRole"}]}""",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
    }

    private async Task RoleAsync(string name, string trust, string policy)
    {
        await Root.RunAsync("iam", "create-role", "--role-name", name, "--assume-role-policy-document", trust);
        await Root.RunAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "replication", "--policy-document", policy);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Cross-region and cross-account replication through the AWS CLI (configuration), the AWS SDK for
/// .NET (objects) and boto3: what arrives, under which version id and metadata; delete markers by
/// rule; refusals marked FAILED; the destination's bucket policy deciding across accounts; and
/// PutBucketReplication's bad-input table.
/// </summary>
public abstract class S3ReplicationTests(S3ReplicationEstate estate)
{
    private TestServer Server => estate.Server;

    private async Task<string> VersionedBucketAsync(string prefix, string region, Cli? owner = null, bool versioned = true)
    {
        var cli = owner ?? estate.Root;
        var bucket = S3Clients.UniqueBucket(prefix);
        await cli.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=" + region);
        if (versioned)
        {
            await cli.RunAsync("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        }

        return bucket;
    }

    private static string Rule(string destination, string id = "all", int priority = 1, string prefix = "", bool markers = true, string extra = "") =>
        "{\"ID\":\"" + id + "\",\"Priority\":" + priority + ",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"" + prefix + "\"},"
        + "\"DeleteMarkerReplication\":{\"Status\":\"" + (markers ? "Enabled" : "Disabled") + "\"},"
        + "\"Destination\":{\"Bucket\":\"arn:aws:s3:::" + destination + "\"" + extra + "}}";

    private string Configuration(string role, params string[] rules) =>
        "{\"Role\":\"" + estate.RoleArn(role) + "\",\"Rules\":[" + string.Join(",", rules) + "]}";

    private Task<JsonElement> PutReplicationAsync(string source, string configuration) =>
        estate.Root.RunAsync("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration", configuration);

    /// <summary>Waits until the source version's replication status is no longer PENDING; returns it.</summary>
    private static async Task<string?> SettledStatusAsync(IAmazonS3 s3, string bucket, string key, string versionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId });
            var status = head.ReplicationStatus?.Value;
            if (status != "PENDING" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> BodyAsync(IAmazonS3 s3, string bucket, string key, string? versionId = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Replication_NewObject_ArrivesInTheOtherRegionUnderItsVersionId_WithItsMetadataTagsAndEncryption()
    {
        var source = await VersionedBucketAsync("repl-src", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-dst", "eu-west-2");
        await PutReplicationAsync(source, Configuration("replication", Rule(destination)));
        using var s3 = S3Clients.Root(Server);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = source,
            Key = "g-cloud-12/documents/1/service.pdf",
            ContentBody = "the service definition",
            ContentType = "application/pdf",
            Metadata = { ["supplier"] = "1" },
            TagSet = [new Tag { Key = "framework", Value = "g-cloud-12" }],
        });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "g-cloud-12/documents/1/service.pdf", put.VersionId));

        var replica = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = destination, Key = "g-cloud-12/documents/1/service.pdf" });
        Assert.Equal("REPLICA", replica.ReplicationStatus?.Value);
        Assert.Equal(put.VersionId, replica.VersionId);
        Assert.Equal(put.ETag, replica.ETag);
        Assert.Equal("application/pdf", replica.Headers.ContentType);
        Assert.Equal("1", replica.Metadata["supplier"]);
        Assert.Equal(ServerSideEncryptionMethod.AES256, replica.ServerSideEncryptionMethod);
        Assert.Equal("the service definition", await BodyAsync(s3, destination, "g-cloud-12/documents/1/service.pdf"));
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = destination, Key = "g-cloud-12/documents/1/service.pdf" });
        Assert.Equal("g-cloud-12", Assert.Single(tags.Tagging).Value);
        var location = (await estate.Root.RunAsync("s3api", "get-bucket-location", "--bucket", destination)).GetProperty("LocationConstraint").GetString();
        Assert.Equal("eu-west-2", location);

        // A second version arrives after the first; the replica bucket keeps both, in order.
        var second = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "g-cloud-12/documents/1/service.pdf", ContentBody = "revised" });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "g-cloud-12/documents/1/service.pdf", second.VersionId));
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = destination });
        Assert.Equal([second.VersionId, put.VersionId], versions.Versions.Select(v => v.VersionId));
        Assert.Equal("revised", await BodyAsync(s3, destination, "g-cloud-12/documents/1/service.pdf"));
    }

    [Fact]
    public async Task Replication_MultipartObject_KeepsItsETagAndBytes()
    {
        var source = await VersionedBucketAsync("repl-mp", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-mpd", "eu-west-2");
        await PutReplicationAsync(source, Configuration("replication", Rule(destination)));
        using var s3 = S3Clients.Root(Server);
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = source, Key = "dump.sql.gz" });
        var first = new byte[5 * 1024 * 1024];
        var second = new byte[1024 * 1024 + 17];
        Random.Shared.NextBytes(first);
        Random.Shared.NextBytes(second);
        var parts = new List<PartETag>();
        foreach (var (bytes, number) in new[] { (first, 1), (second, 2) })
        {
            var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = source, Key = "dump.sql.gz", UploadId = upload.UploadId, PartNumber = number, InputStream = new MemoryStream(bytes) });
            parts.Add(new PartETag(number, part.ETag));
        }

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = source, Key = "dump.sql.gz", UploadId = upload.UploadId, PartETags = parts });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "dump.sql.gz", done.VersionId));

        using var replica = await s3.GetObjectAsync(new GetObjectRequest { BucketName = destination, Key = "dump.sql.gz" });
        Assert.Equal(done.ETag, replica.ETag);
        Assert.Equal(done.VersionId, replica.VersionId);
        using var copy = new MemoryStream();
        await replica.ResponseStream.CopyToAsync(copy);
        Assert.Equal([.. first, .. second], copy.ToArray());
    }

    [Fact]
    public async Task Replication_DeleteMarkers_AreReplicatedOnlyUnderARuleThatSaysSo()
    {
        var source = await VersionedBucketAsync("repl-dm", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-dmd", "eu-west-2");
        await PutReplicationAsync(source, Configuration("replication", Rule(destination, "marked", 2, "marked/", markers: true), Rule(destination, "kept", 1, "kept/", markers: false)));
        using var s3 = S3Clients.Root(Server);
        foreach (var key in new[] { "marked/a", "kept/a" })
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = key, ContentBody = key });
            Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, key, put.VersionId));
        }

        var markedDelete = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = source, Key = "marked/a" });
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = source, Key = "kept/a" });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ListVersionsResponse versions;
        do
        {
            await Task.Delay(100);
            versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = destination });
        }
        while (!versions.Versions.Any(v => v.IsDeleteMarker == true) && DateTime.UtcNow < deadline);

        var marker = Assert.Single(versions.Versions, v => v.IsDeleteMarker == true);
        Assert.Equal("marked/a", marker.Key);
        Assert.Equal(markedDelete.VersionId, marker.VersionId);
        Assert.Equal("kept/a", await BodyAsync(s3, destination, "kept/a"));
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = destination, Key = "marked/a" }));
        Assert.Equal("NoSuchKey", gone.ErrorCode);
    }

    [Theory]
    [InlineData("half")]
    [InlineData("untrusting")]
    public async Task Replication_RoleThatMayNotReplicateOrIsNotTrusted_MarksTheVersionFailed(string role)
    {
        var source = await VersionedBucketAsync("repl-fail", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-faild", "eu-west-2");
        await PutReplicationAsync(source, Configuration(role, Rule(destination)));
        using var s3 = S3Clients.Root(Server);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "doc", ContentBody = "x" });

        Assert.Equal("FAILED", await SettledStatusAsync(s3, source, "doc", put.VersionId));
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = destination })).Versions ?? []);
    }

    [Fact]
    public async Task Replication_AssumesItsRoleAsTheS3Service_RecordedInCloudTrailWithInvokedBy()
    {
        var source = await VersionedBucketAsync("repl-trail", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-traild", "eu-west-2");
        await PutReplicationAsync(source, Configuration("replication", Rule(destination)));
        using var s3 = S3Clients.Root(Server);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "audited", ContentBody = "x" });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "audited", put.VersionId));

        // As AWS records a service assuming a customer's role: the service is the identity, its name the address.
        var record = await CloudTrail.CloudTrailFixture.WaitForEventAsync(
            estate.Root, "eu-west-1", "EventName", "AssumeRole",
            r => r.GetProperty("userIdentity").GetProperty("type").GetString() == "AWSService" && !r.TryGetProperty("errorCode", out _));
        Assert.Equal("s3.amazonaws.com", record.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
        Assert.Equal(("s3.amazonaws.com", "s3.amazonaws.com"), (record.GetProperty("sourceIPAddress").GetString(), record.GetProperty("userAgent").GetString()));
        Assert.Equal(("sts.amazonaws.com", Server.AccountId), (record.GetProperty("eventSource").GetString(), record.GetProperty("recipientAccountId").GetString()));
        Assert.Equal(estate.RoleArn("replication"), record.GetProperty("requestParameters").GetProperty("roleArn").GetString());
        Assert.EndsWith(":assumed-role/replication/s3-replication", record.GetProperty("responseElements").GetProperty("assumedRoleUser").GetProperty("arn").GetString(), StringComparison.Ordinal);

        // A role S3 may not assume: the refusal is recorded too, with its error.
        var refused = await VersionedBucketAsync("repl-trailx", "eu-west-1");
        await PutReplicationAsync(refused, Configuration("untrusting", Rule(destination)));
        var failed = await s3.PutObjectAsync(new PutObjectRequest { BucketName = refused, Key = "audited", ContentBody = "x" });
        Assert.Equal("FAILED", await SettledStatusAsync(s3, refused, "audited", failed.VersionId));
        var denied = await CloudTrail.CloudTrailFixture.WaitForEventAsync(
            estate.Root, "eu-west-1", "EventName", "AssumeRole",
            r => r.TryGetProperty("errorCode", out var code) && code.GetString() == "AccessDenied" && r.GetProperty("userIdentity").GetProperty("type").GetString() == "AWSService");
        Assert.Equal(estate.RoleArn("untrusting"), denied.GetProperty("requestParameters").GetProperty("roleArn").GetString());
    }

    [Fact]
    public async Task Replication_ToAnotherAccount_ArrivesOnlyWhileTheDestinationBucketPolicyGrantsIt()
    {
        var source = await VersionedBucketAsync("repl-xa", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-xad", "eu-west-2", estate.PartnerAdmin);
        await PutReplicationAsync(source, Configuration("replication", Rule(destination, extra: $$""","Account":"{{estate.PartnerAccount}}","AccessControlTranslation":{"Owner":"Destination"}""")));
        using var s3 = S3Clients.Root(Server);
        using var partner = S3Clients.For(Server, estate.PartnerAdmin);

        var refused = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "backup-1.sql.gz.gpg", ContentBody = "first" });
        Assert.Equal("FAILED", await SettledStatusAsync(s3, source, "backup-1.sql.gz.gpg", refused.VersionId));

        var grant = $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{estate.RoleArn("replication")}}"},
              "Action":["s3:ReplicateObject","s3:ReplicateDelete","s3:ReplicateTags"],"Resource":"arn:aws:s3:::{{destination}}/*"}]}
            """;
        await estate.PartnerAdmin.RunAsync("s3api", "put-bucket-policy", "--bucket", destination, "--policy", grant);
        var accepted = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "backup-2.sql.gz.gpg", ContentBody = "second" });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "backup-2.sql.gz.gpg", accepted.VersionId));
        Assert.Equal("second", await BodyAsync(partner, destination, "backup-2.sql.gz.gpg"));

        // The owner override gives the replica to the destination's account.
        var acl = await partner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = destination, Key = "backup-2.sql.gz.gpg" });
        Assert.Equal(S3ReplicationOwner(estate.PartnerAccount), acl.Owner.Id);

        await estate.PartnerAdmin.RunAsync("s3api", "delete-bucket-policy", "--bucket", destination);
        var again = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "backup-3.sql.gz.gpg", ContentBody = "third" });
        Assert.Equal("FAILED", await SettledStatusAsync(s3, source, "backup-3.sql.gz.gpg", again.VersionId));
        Assert.Equal(["backup-2.sql.gz.gpg"], (await partner.ListVersionsAsync(new ListVersionsRequest { BucketName = destination })).Versions.Select(v => v.Key));
    }

    private static string S3ReplicationOwner(string account) => Cloudkeep.Services.S3.S3Context.CanonicalId(account);

    [Fact]
    public async Task Replication_PrefixRule_ReplicatesOnlyItsKeys_AndReplicasAreNotReplicatedOnward()
    {
        var source = await VersionedBucketAsync("repl-px", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-pxd", "eu-west-2");
        var third = await VersionedBucketAsync("repl-px3", "eu-west-1");
        await PutReplicationAsync(source, Configuration("replication", Rule(destination, prefix: "documents/")));
        await PutReplicationAsync(destination, Configuration("replication", Rule(third)));
        using var s3 = S3Clients.Root(Server);

        var other = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "drafts/x", ContentBody = "x" });
        var covered = await s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "documents/x", ContentBody = "y" });
        Assert.Equal("COMPLETED", await SettledStatusAsync(s3, source, "documents/x", covered.VersionId));
        Assert.Null((await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = source, Key = "drafts/x", VersionId = other.VersionId })).ReplicationStatus?.Value);
        Assert.Equal(["documents/x"], (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = destination })).Versions.Select(v => v.Key));

        // "Objects in the source bucket that are replicas that were created by another replication rule" are not replicated.
        await Task.Delay(1500);
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = third })).Versions ?? []);
    }

    [Fact]
    public async Task ReplicationConfiguration_RoundTripsThroughBoto3_AndDeleteRemovesIt()
    {
        var source = await VersionedBucketAsync("repl-b3", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-b3d", "eu-west-2");
        var result = await Boto3.RunAsync(Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            s3.put_bucket_replication(Bucket="{{source}}", ReplicationConfiguration={
                "Role": "{{estate.RoleArn("replication")}}",
                "Rules": [{"ID": "docs", "Priority": 7, "Status": "Enabled", "Filter": {"And": {"Prefix": "docs/", "Tags": [{"Key": "replicate", "Value": "yes"}]} },
                           "DeleteMarkerReplication": {"Status": "Disabled"},
                           "Destination": {"Bucket": "arn:aws:s3:::{{destination}}", "StorageClass": "STANDARD_IA"} }]})
            got = s3.get_bucket_replication(Bucket="{{source}}")["ReplicationConfiguration"]
            v = s3.put_object(Bucket="{{source}}", Key="docs/a", Body=b"a", Tagging="replicate=yes")["VersionId"]
            import time
            for _ in range(300):
                status = s3.head_object(Bucket="{{source}}", Key="docs/a", VersionId=v).get("ReplicationStatus")
                if status != "PENDING":
                    break
                time.sleep(0.05)
            replica = s3.head_object(Bucket="{{destination}}", Key="docs/a")
            s3.delete_bucket_replication(Bucket="{{source}}")
            try:
                s3.get_bucket_replication(Bucket="{{source}}")
                after = "present"
            except s3.exceptions.ClientError as e:
                after = e.response["Error"]["Code"] + " " + str(e.response["ResponseMetadata"]["HTTPStatusCode"])
            print(json.dumps({"rule": got["Rules"][0], "role": got["Role"], "status": status,
                              "replica": [replica.get("ReplicationStatus"), replica.get("StorageClass"), replica["VersionId"] == v], "after": after}))
            """);
        var rule = result.GetProperty("rule");
        Assert.Equal("docs", rule.GetProperty("ID").GetString());
        Assert.Equal(7, rule.GetProperty("Priority").GetInt32());
        Assert.Equal("yes", rule.GetProperty("Filter").GetProperty("And").GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.Equal(estate.RoleArn("replication"), result.GetProperty("role").GetString());
        Assert.Equal("COMPLETED", result.GetProperty("status").GetString());
        Assert.Equal("""["REPLICA","STANDARD_IA",true]""", result.GetProperty("replica").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("ReplicationConfigurationNotFoundError 404", result.GetProperty("after").GetString());
    }

    public static TheoryData<string, string, string> BadConfigurations => new()
    {
        { "source not versioned", "unversioned-source", "InvalidRequest" },
        { "destination missing", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::no-such-bucket-anywhere"}}""", "InvalidRequest" },
        { "destination not versioned", "unversioned-destination", "InvalidRequest" },
        { "V2 without DeleteMarkerReplication", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidRequest" },
        { "V2 without Priority", """{"ID":"x","Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidRequest" },
        { "delete markers with a tag filter", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{"Tag":{"Key":"k","Value":"v"}},"DeleteMarkerReplication":{"Status":"Enabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidRequest" },
        { "duplicate rule ids", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}},{"ID":"x","Priority":2,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidArgument" },
        { "duplicate priorities", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}},{"ID":"y","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidRequest" },
        { "role is not a role ARN", "bad-role", "InvalidArgument" },
        { "destination is not a bucket ARN", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"DEST"}}""", "InvalidArgument" },
        { "unknown status", """{"ID":"x","Priority":1,"Status":"On","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "MalformedXML" },
        { "Prefix and Filter together", """{"ID":"x","Priority":1,"Status":"Enabled","Prefix":"a","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "MalformedXML" },
        { "KMS objects without a replica key", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST"}}""", "InvalidRequest" },
        { "account that does not own the destination", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST","Account":"999988887777"}}""", "InvalidRequest" },
        { "owner override without an account", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST","AccessControlTranslation":{"Owner":"Destination"}}}""", "InvalidRequest" },
        { "unknown storage class", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::DEST","StorageClass":"FAST"}}""", "InvalidStorageClass" },
        { "replicating into itself", """{"ID":"x","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::SOURCE"}}""", "InvalidRequest" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task PutBucketReplication_BadConfiguration_IsRefusedWithS3sError_AndChangesNothing(string why, string rules, string code)
    {
        var source = await VersionedBucketAsync("repl-bad", "eu-west-1", versioned: rules != "unversioned-source");
        var destination = await VersionedBucketAsync("repl-badd", "eu-west-2", versioned: rules != "unversioned-destination");
        var good = Configuration("replication", Rule(destination, "good"));
        if (rules != "unversioned-source" && rules != "unversioned-destination")
        {
            await PutReplicationAsync(source, good);
        }

        var configuration = rules switch
        {
            "unversioned-source" or "unversioned-destination" => good,
            "bad-role" => "{\"Role\":\"arn:aws:iam::" + Server.AccountId + ":user/replication\",\"Rules\":[" + Rule(destination) + "]}",
            _ => Configuration("replication", rules.Replace("DEST", destination, StringComparison.Ordinal).Replace("SOURCE", source, StringComparison.Ordinal)),
        };
        var error = await estate.Root.FailAsync("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration", configuration);
        Assert.True(error.Contains($"({code})", StringComparison.Ordinal), $"{why}: {error}");

        if (rules is "unversioned-source" or "unversioned-destination")
        {
            Assert.Contains("ReplicationConfigurationNotFoundError", await estate.Root.FailAsync("s3api", "get-bucket-replication", "--bucket", source), StringComparison.Ordinal);
        }
        else
        {
            var stored = (await estate.Root.RunAsync("s3api", "get-bucket-replication", "--bucket", source)).GetProperty("ReplicationConfiguration").GetProperty("Rules");
            Assert.Equal("good", Assert.Single(stored.EnumerateArray()).GetProperty("ID").GetString());
        }
    }

    [Fact]
    public async Task BucketWithReplication_VersioningCannotBeSuspended_AndGetWithoutOneIsNotFound()
    {
        var source = await VersionedBucketAsync("repl-susp", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-suspd", "eu-west-2");
        var missing = await estate.Root.FailAsync("s3api", "get-bucket-replication", "--bucket", source);
        Assert.Contains("(ReplicationConfigurationNotFoundError)", missing, StringComparison.Ordinal);

        await PutReplicationAsync(source, Configuration("replication", Rule(destination)));
        var refused = await estate.Root.FailAsync("s3api", "put-bucket-versioning", "--bucket", source, "--versioning-configuration", "Status=Suspended");
        Assert.Contains("(InvalidBucketState)", refused, StringComparison.Ordinal);
        var versioning = await estate.Root.RunAsync("s3api", "get-bucket-versioning", "--bucket", source);
        Assert.Equal("Enabled", versioning.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task PutBucketReplication_WithoutPassRoleOnTheRole_IsAccessDenied()
    {
        var source = await VersionedBucketAsync("repl-pass", "eu-west-1");
        var destination = await VersionedBucketAsync("repl-passd", "eu-west-2");
        var name = "replication-configurer-" + Guid.NewGuid().ToString("N")[..6];
        var user = await estate.Root.CreateUserWithKeyAsync(name);
        await estate.Root.RunAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "s3", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutReplicationConfiguration","Resource":"*"}]}""");
        var denied = await user.FailAsync("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration", Configuration("replication", Rule(destination)));
        Assert.Contains("iam:PassRole", denied, StringComparison.Ordinal);
        Assert.Contains("ReplicationConfigurationNotFoundError", await estate.Root.FailAsync("s3api", "get-bucket-replication", "--bucket", source), StringComparison.Ordinal);
    }
}

public sealed class S3ReplicationEstateOnPostgres : S3ReplicationEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3ReplicationTestsOnSqlite(S3ReplicationEstate estate) : S3ReplicationTests(estate), IClassFixture<S3ReplicationEstate>;

public sealed class S3ReplicationTestsOnPostgres(S3ReplicationEstateOnPostgres estate) : S3ReplicationTests(estate), IClassFixture<S3ReplicationEstateOnPostgres>;
