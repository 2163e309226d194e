using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Who may do what: bucket policies (public, cross-account, validated), the public access block,
/// ACLs with object ownership, identity policies of the owner's own users, presigned URLs and
/// browser POST uploads, each through real clients.
/// </summary>
public sealed class S3AccessTests(S3AccessEstate estate) : IClassFixture<S3AccessEstate>
{
    private static string ReadPolicy(string bucket, string principal, string prefix = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{{principal}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/{{prefix}}"}]}""";

    private async Task<string> BucketWithObjectAsync(string prefix, string key = "doc.txt")
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await estate.Root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        using var s3 = S3Clients.Root(estate.Server);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "document" });
        return bucket;
    }

    private async Task<HttpStatusCode> AnonymousGetAsync(string bucket, string key = "doc.txt")
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"{estate.Server.Endpoint}/{bucket}/{key}"));
        return response.StatusCode;
    }

    [Fact]
    public async Task PublicPolicy_IsBlockedUntilThePublicAccessBlockIsLifted_ThenAnonymousReadsWork()
    {
        var bucket = await BucketWithObjectAsync("public-docs");
        var blocked = await estate.Root.FailAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", ReadPolicy(bucket, "\"*\""));
        Assert.Contains("AccessDenied", blocked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousGetAsync(bucket));

        await estate.Root.RunAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        await estate.Root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", ReadPolicy(bucket, "\"*\""));
        Assert.Equal(HttpStatusCode.OK, await AnonymousGetAsync(bucket));
        Assert.True((await estate.Root.RunAsync("s3api", "get-bucket-policy-status", "--bucket", bucket)).GetProperty("PolicyStatus").GetProperty("IsPublic").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, await AnonymousGetAsync(bucket, "missing.txt"));

        // RestrictPublicBuckets keeps the policy but ignores it for everyone outside the account.
        await estate.Root.RunAsync("s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", "RestrictPublicBuckets=true");
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousGetAsync(bucket));
    }

    [Fact]
    public async Task VirtualHostedStyle_BucketInTheHostName_ReachesTheSameObject()
    {
        var bucket = await BucketWithObjectAsync("vhost-docs");
        await estate.Root.RunAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        await estate.Root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", ReadPolicy(bucket, "\"*\""));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{estate.Server.Endpoint}/doc.txt"));
        request.Headers.Host = $"{bucket}.s3.assets.localhost";
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("document", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateBucket_NameTakenByAnotherAccount_IsBucketAlreadyExists()
    {
        var bucket = await BucketWithObjectAsync("taken");
        var error = await estate.Writer.FailAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        Assert.Contains("BucketAlreadyExists", error, StringComparison.Ordinal);
        Assert.DoesNotContain("BucketAlreadyOwnedByYou", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutBucketAcl_PublicRead_LetsAnyoneListTheBucket_WhenAclsAreEnabledAndNotBlocked()
    {
        var bucket = await BucketWithObjectAsync("listable");
        using var http = new HttpClient();
        async Task<HttpStatusCode> ListAsync()
        {
            using var response = await http.GetAsync(new Uri($"{estate.Server.Endpoint}/{bucket}?list-type=2"));
            return response.StatusCode;
        }

        var disabled = await estate.Root.FailAsync("s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "public-read");
        Assert.Contains("AccessControlListNotSupported", disabled, StringComparison.Ordinal);
        await estate.Root.RunAsync("s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerPreferred}]");
        Assert.Contains("AccessDenied", await estate.Root.FailAsync("s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "public-read"), StringComparison.Ordinal);
        await estate.Root.RunAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        Assert.Equal(HttpStatusCode.Forbidden, await ListAsync());
        await estate.Root.RunAsync("s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "public-read");
        Assert.Equal(HttpStatusCode.OK, await ListAsync());
        var acl = await estate.Root.RunAsync("s3api", "get-bucket-acl", "--bucket", bucket);
        Assert.Contains(acl.GetProperty("Grants").EnumerateArray(), g => g.GetProperty("Grantee").TryGetProperty("URI", out var uri) && uri.GetString() == "http://acs.amazonaws.com/groups/global/AllUsers");
    }

    [Fact]
    public async Task AnonymousGet_OfAPrivateBucket_IsAccessDenied()
    {
        var bucket = await BucketWithObjectAsync("private-docs");
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousGetAsync(bucket));
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"{estate.Server.Endpoint}/{bucket}?list-type=2")).ContinueWith(t => t.IsFaulted ? "denied" : t.Result, TaskScheduler.Default);
        Assert.Equal("denied", body);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::some-other-bucket/*"}]}""")]
    [InlineData("""not json at all""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*","Condition":{"NoSuchOperator":{"a":"b"}}}]}""")]
    public async Task PutBucketPolicy_Invalid_IsMalformedPolicyAndChangesNothing(string policy)
    {
        var bucket = await BucketWithObjectAsync("malformed");
        var error = await estate.Root.FailAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy.Replace("BUCKET", bucket, StringComparison.Ordinal));
        Assert.Contains("MalformedPolicy", error, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucketPolicy", await estate.Root.FailAsync("s3api", "get-bucket-policy", "--bucket", bucket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossAccountRead_NeedsBothTheIdentityPolicyAndTheBucketPolicy()
    {
        var bucket = await BucketWithObjectAsync("shared");
        using var reader = S3Clients.For(estate.Server, estate.Reader);
        using var nobody = S3Clients.For(estate.Server, estate.Nobody);

        // Identity allows, bucket policy silent: denied.
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => reader.GetObjectAsync(bucket, "doc.txt"));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        await estate.Root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", ReadPolicy(bucket, $$"""{"AWS":"arn:aws:iam::{{estate.PartnerAccount}}:root"}"""));
        using (var response = await reader.GetObjectAsync(bucket, "doc.txt"))
        {
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        }

        // Bucket policy allows the account, the user's identity policy does not: denied.
        var noIdentity = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => nobody.GetObjectAsync(bucket, "doc.txt"));
        Assert.Equal("AccessDenied", noIdentity.ErrorCode);
        Assert.Contains("no identity-based policy allows the s3:GetObject action", noIdentity.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameAccountUser_WithoutAnIdentityPolicy_IsDeniedWithTheEnhancedMessage()
    {
        var bucket = await BucketWithObjectAsync("own");
        using var s3 = S3Clients.For(estate.Server, estate.MainReader);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "doc.txt"));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains($"arn:aws:iam::{estate.Server.AccountId}:user/main-reader is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::{bucket}/doc.txt\"".Replace("\"", "", StringComparison.Ordinal), error.Message.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteObjects_KeysThePolicyDenies_AreReportedAccessDeniedAndKept_TheOthersDeleted()
    {
        var bucket = await BucketWithObjectAsync("batch", "public/a.txt");
        using (var root = S3Clients.Root(estate.Server))
        {
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private/b.txt", ContentBody = "kept" });
        }

        var name = $"cleaner-{Guid.NewGuid():N}"[..20];
        var cleaner = await estate.Root.CreateUserWithKeyAsync(name);
        await estate.Root.RunAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "clean", "--policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::{{bucket}}/public/*"}]}""");

        var answer = await cleaner.RunAsync("s3api", "delete-objects", "--bucket", bucket, "--delete", """{"Objects":[{"Key":"public/a.txt"},{"Key":"private/b.txt"}]}""");

        Assert.Equal("public/a.txt", Assert.Single(answer.GetProperty("Deleted").EnumerateArray()).GetProperty("Key").GetString());
        var denied = Assert.Single(answer.GetProperty("Errors").EnumerateArray());
        Assert.Equal("private/b.txt", denied.GetProperty("Key").GetString());
        Assert.Equal("AccessDenied", denied.GetProperty("Code").GetString());
        using var s3 = S3Clients.Root(estate.Server);
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal("private/b.txt", Assert.Single(left.S3Objects).Key);
    }

    [Fact]
    public async Task BucketOwnerEnforced_RefusesAclsExceptBucketOwnerFullControl()
    {
        var bucket = await BucketWithObjectAsync("enforced");
        using var s3 = S3Clients.Root(estate.Server);
        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p", ContentBody = "x", CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal("AccessControlListNotSupported", refused.ErrorCode);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p", ContentBody = "x", CannedACL = S3CannedACL.BucketOwnerFullControl });
        var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "p" });
        Assert.Equal(S3Permission.FULL_CONTROL, Assert.Single(acl.Grants).Permission);
    }

    [Fact]
    public async Task PublicReadAcl_OnAnAclBucket_IsReadableAnonymously_UnlessPublicAclsAreBlockedOrIgnored()
    {
        var bucket = await BucketWithObjectAsync("acl-docs");
        await estate.Root.RunAsync("s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership=ObjectWriter}]");
        using var s3 = S3Clients.Root(estate.Server);
        var blocked = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public.txt", ContentBody = "x", CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal("AccessDenied", blocked.ErrorCode);

        await estate.Root.RunAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public.txt", ContentBody = "x", CannedACL = S3CannedACL.PublicRead });
        Assert.Equal(HttpStatusCode.OK, await AnonymousGetAsync(bucket, "public.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousGetAsync(bucket));
        var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "public.txt" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == S3Permission.READ);

        await estate.Root.RunAsync("s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", "IgnorePublicAcls=true");
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousGetAsync(bucket, "public.txt"));
    }

    [Theory]
    [InlineData("BucketOwnerPreferred", "bucket-owner-full-control", true)]
    [InlineData("ObjectWriter", "bucket-owner-full-control", true)]
    [InlineData("ObjectWriter", null, false)]
    public async Task CrossAccountWrite_ObjectOwnershipDecidesWhetherTheBucketOwnerCanRead(string ownership, string? acl, bool ownerCanRead)
    {
        var bucket = await BucketWithObjectAsync("uploads");
        await estate.Root.RunAsync("s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", $"Rules=[{{ObjectOwnership={ownership}}}]");
        await estate.Root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{estate.PartnerAccount}}:root"},"Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");
        using var writer = S3Clients.For(estate.Server, estate.Writer);
        var put = new PutObjectRequest { BucketName = bucket, Key = "from-partner.txt", ContentBody = "written across accounts" };
        if (acl is not null)
        {
            put.CannedACL = S3CannedACL.FindValue(acl);
        }

        await writer.PutObjectAsync(put);
        using var owner = S3Clients.For(estate.Server, estate.Admin);
        if (ownerCanRead)
        {
            using var response = await owner.GetObjectAsync(bucket, "from-partner.txt");
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        }
        else
        {
            var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => owner.GetObjectAsync(bucket, "from-partner.txt"));
            Assert.Equal("AccessDenied", error.ErrorCode);
        }

        using var stillWriter = await writer.GetObjectAsync(bucket, "from-partner.txt");
        Assert.Equal(HttpStatusCode.OK, stillWriter.HttpStatusCode);
    }

    [Fact]
    public async Task PresignedUrls_GetPutHead_WorkUntilTheyExpire()
    {
        var bucket = await BucketWithObjectAsync("presigned");
        using var s3 = S3Clients.Root(estate.Server);
        using var http = new HttpClient();
        string Presign(HttpVerb verb, string key, int seconds) => s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = key, Verb = verb, Expires = DateTime.UtcNow.AddSeconds(seconds), Protocol = Amazon.S3.Protocol.HTTP,
        });

        Assert.Equal("document", await http.GetStringAsync(new Uri(Presign(HttpVerb.GET, "doc.txt", 300))));
        using (var put = await http.PutAsync(new Uri(Presign(HttpVerb.PUT, "uploaded.txt", 300)), new StringContent("via presigned put")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Presign(HttpVerb.HEAD, "uploaded.txt", 300)))))
        {
            Assert.Equal(17, head.Content.Headers.ContentLength);
        }

        var shortLived = Presign(HttpVerb.GET, "doc.txt", 60);
        estate.Clock.Offset = TimeSpan.FromMinutes(2);
        try
        {
            using var expired = await http.GetAsync(new Uri(shortLived));
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            estate.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task PresignedUrl_SignedWithASession_DiesWithTheSession()
    {
        var bucket = await BucketWithObjectAsync("session-presign");
        var credentials = (await estate.Admin.RunAsync("sts", "get-session-token", "--duration-seconds", "900")).GetProperty("Credentials");
        using var s3 = S3Clients.For(estate.Server, new Amazon.Runtime.SessionAWSCredentials(credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretAccessKey").GetString(), credentials.GetProperty("SessionToken").GetString()));
        var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest { BucketName = bucket, Key = "doc.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddDays(6), Protocol = Amazon.S3.Protocol.HTTP });
        Assert.Contains("X-Amz-Security-Token=", url, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal("document", await http.GetStringAsync(new Uri(url)));
        estate.Clock.Offset = TimeSpan.FromMinutes(16);
        try
        {
            using var afterSession = await http.GetAsync(new Uri(url));
            Assert.False(afterSession.IsSuccessStatusCode);
            Assert.Contains("ExpiredToken", await afterSession.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            estate.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task BrowserPostUpload_FromBoto3PresignedPost_StoresTheFile_AndEnforcesThePolicy()
    {
        var bucket = await BucketWithObjectAsync("backups");
        var script = $$"""
            import boto3, json
            from botocore.config import Config
            posts = []
            for version in ('s3v4', 's3'):
                s3 = boto3.client('s3', endpoint_url='{{estate.Server.Endpoint}}', region_name='eu-west-1', config=Config(signature_version=version))
                posts.append(s3.generate_presigned_post('{{bucket}}', 'nightly/${filename}', Fields={'success_action_status': '201'},
                    Conditions=[{'success_action_status': '201'}, ['starts-with', '$key', 'nightly/'], ['content-length-range', 1, 1024]], ExpiresIn=600))
            print(json.dumps(posts))
            """;
        var result = await Cloudkeep.Testing.AwsCli.ShellAsync(estate.Server.Endpoint, Cloudkeep.Testing.TestServer.RootAccessKeyId, Cloudkeep.Testing.TestServer.RootSecretAccessKey, Path.GetTempPath(), "python3 - <<'PY'\n" + script + "\nPY");
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var posts = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        using var http = new HttpClient();
        var version = 0;
        foreach (var post in posts.RootElement.EnumerateArray())
        {
            var fields = post.GetProperty("fields").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!);
            var url = new Uri(post.GetProperty("url").GetString()!);
            using var ok = await PostAsync(http, url, fields, $"dump-{version}.gpg", "encrypted backup"u8.ToArray());
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            Assert.Contains($"<Key>nightly/dump-{version}.gpg</Key>", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var big = await PostAsync(http, url, fields, "big.gpg", new byte[2048]);
            Assert.Contains("EntityTooLarge", await big.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var wrongKey = await PostAsync(http, url, new Dictionary<string, string>(fields) { ["key"] = "elsewhere/x" }, "x", "abc"u8.ToArray());
            Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
            Assert.Contains("Policy Condition failed", await wrongKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            version++;
        }

        using var anonymous = await PostAsync(http, new Uri($"{estate.Server.Endpoint}/{bucket}"), new Dictionary<string, string> { ["key"] = "anon.txt" }, "a", "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        using var s3 = S3Clients.Root(estate.Server);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "nightly/" });
        Assert.Equal(["nightly/dump-0.gpg", "nightly/dump-1.gpg"], listed.S3Objects.Select(o => o.Key));
        using var stored = await s3.GetObjectAsync(bucket, "nightly/dump-0.gpg");
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal("encrypted backup", await reader.ReadToEndAsync());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, Dictionary<string, string> fields, string fileName, byte[] file)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent(file), "file", fileName);
        return http.PostAsync(url, form);
    }
}
