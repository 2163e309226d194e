using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The S3 pages: buckets, a bucket by prefix, upload, object details, download and delete, each an S3 operation run as the person.</summary>
public sealed class ConsoleS3Tests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string Everything = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string ListOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:ListBucket"],"Resource":"*"}]}""";

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await ConsoleClient.CreateUserAsync(_server, "admin", Password, inlinePolicy: Everything);
        await ConsoleClient.CreateUserAsync(_server, "lister", Password, inlinePolicy: ListOnly);
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config { ServiceURL = _server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync("console-docs");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "console-docs", Key = "reports/2026/summary.txt", ContentBody = "summary" });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Bucket_UploadBrowseDetailsDownloadDelete_AsTheSignedInPerson()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "admin", Password));

        var buckets = await browser.GetAsync("/console/s3");
        Assert.Contains(">console-docs</a>", buckets.Body, StringComparison.Ordinal);
        var root = await browser.GetAsync("/console/s3/bucket?name=console-docs");
        Assert.Contains(">reports/</a>", root.Body, StringComparison.Ordinal);
        var folder = await browser.GetAsync("/console/s3/bucket?name=console-docs&prefix=reports%2F2026%2F");
        Assert.Contains(">summary.txt</a>", folder.Body, StringComparison.Ordinal);

        var uploaded = await browser.PostFileAsync("/console/s3/upload", new Dictionary<string, string> { ["bucket"] = "console-docs", ["prefix"] = "reports/2026/" }, "notes.txt", Encoding.UTF8.GetBytes("hello from the console"));
        Assert.Equal(HttpStatusCode.OK, uploaded.Status);
        Assert.Contains("Uploaded reports/2026/notes.txt.", uploaded.Body, StringComparison.Ordinal);
        Assert.Contains(">notes.txt</a>", uploaded.Body, StringComparison.Ordinal);

        var details = await browser.GetAsync("/console/s3/object?bucket=console-docs&key=reports%2F2026%2Fnotes.txt");
        Assert.Contains("<dd>22</dd>", details.Body, StringComparison.Ordinal);
        Assert.Contains("<dd>text/plain</dd>", details.Body, StringComparison.Ordinal);
        var download = await browser.GetAsync("/console/s3/download?bucket=console-docs&key=reports%2F2026%2Fnotes.txt");
        Assert.Equal("hello from the console", download.Body);
        Assert.Contains("attachment", download.Response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);

        var deleted = await browser.PostAsync("/console/s3/delete", new Dictionary<string, string> { ["bucket"] = "console-docs", ["key"] = "reports/2026/notes.txt" });
        Assert.Contains("Deleted reports/2026/notes.txt.", deleted.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(">notes.txt</a>", deleted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_WithoutGetObject_IsRefusedWithTheEnginesMessage()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "lister", Password));
        Assert.Contains(">summary.txt</a>", (await browser.GetAsync("/console/s3/bucket?name=console-docs&prefix=reports%2F2026%2F")).Body, StringComparison.Ordinal);

        var download = await browser.GetAsync("/console/s3/download?bucket=console-docs&key=reports%2F2026%2Fsummary.txt");

        Assert.Equal(HttpStatusCode.Forbidden, download.Status);
        Assert.Contains("is not authorized to perform: s3:GetObject", download.Body, StringComparison.Ordinal);
        var upload = await browser.PostFileAsync("/console/s3/upload", new Dictionary<string, string> { ["bucket"] = "console-docs", ["prefix"] = "" }, "x.txt", [1, 2, 3]);
        Assert.Equal(HttpStatusCode.Forbidden, upload.Status);
        Assert.Contains("s3:PutObject", upload.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BucketSettings_VersioningPublicAccessAndPolicy_WithTheEnginesMessageOnABadPolicy()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "admin", Password));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console/s3/settings?name=console-docs")).Status);

        var versioned = await browser.PostAsync("/console/s3/settings/versioning", new Dictionary<string, string> { ["name"] = "console-docs", ["status"] = "Enabled" });
        Assert.Contains("<strong>Enabled</strong>", versioned.Body, StringComparison.Ordinal);
        var blocked = await browser.PostAsync("/console/s3/settings/publicaccess", new Dictionary<string, string> { ["name"] = "console-docs", ["BlockPublicPolicy"] = "true" });
        Assert.Contains("name=\"BlockPublicPolicy\" value=\"true\" checked", blocked.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"BlockPublicAcls\" value=\"true\" checked", blocked.Body, StringComparison.Ordinal);

        const string Public = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::console-docs/*"}]}""";
        var refused = await browser.PostAsync("/console/s3/settings/policy", new Dictionary<string, string> { ["name"] = "console-docs", ["policy"] = Public });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("AccessDenied", refused.Body, StringComparison.Ordinal);
        const string Private = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::console-docs/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";
        var saved = await browser.PostAsync("/console/s3/settings/policy", new Dictionary<string, string> { ["name"] = "console-docs", ["policy"] = Private });
        Assert.Contains("Bucket policy saved.", saved.Body, StringComparison.Ordinal);
        Assert.Contains("aws:SecureTransport", saved.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BucketDocuments_CorsLifecycleTagsEncryptionOwnership_SavedAsTheCliSeesThem_S3sMessageOnABadOne()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "admin", Password));
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config { ServiceURL = _server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync("console-settings");
        async Task<string> SaveAsync(string kind, string document, string expect)
        {
            var answer = await browser.PostAsync("/console/s3/settings/document", new Dictionary<string, string> { ["name"] = "console-settings", ["kind"] = kind, ["document"] = document, ["action"] = "save" });
            Assert.True(answer.Status == HttpStatusCode.OK && answer.Body.Contains(expect, StringComparison.Ordinal), $"{kind}: {answer.Status} {answer.Body}");
            return answer.Body;
        }

        await SaveAsync("cors", """{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["https://www.example.org"],"MaxAgeSeconds":300}]}""", "CORS saved.");
        var cors = await s3.GetCORSConfigurationAsync("console-settings");
        Assert.Equal(("https://www.example.org", 300), (Assert.Single(cors.Configuration.Rules).AllowedOrigins.Single(), cors.Configuration.Rules[0].MaxAgeSeconds));
        await SaveAsync("lifecycle", """{"Rules":[{"ID":"expire-dumps","Status":"Enabled","Filter":{"Prefix":"dumps/"},"Expiration":{"Days":30}}]}""", "Lifecycle saved.");
        var lifecycle = await s3.GetLifecycleConfigurationAsync("console-settings");
        Assert.Equal(30, Assert.Single(lifecycle.Configuration.Rules).Expiration.Days);
        var tagged = await SaveAsync("tags", """{"TagSet":[{"Key":"team","Value":"digital-marketplace"}]}""", "Tags saved.");
        Assert.Contains("digital-marketplace", tagged, StringComparison.Ordinal);
        Assert.Equal("digital-marketplace", Assert.Single((await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = "console-settings" })).TagSet).Value);
        await SaveAsync("ownership", """{"Rules":[{"ObjectOwnership":"BucketOwnerPreferred"}]}""", "Object ownership saved.");
        Assert.Equal("BucketOwnerPreferred", Assert.Single((await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = "console-settings" })).OwnershipControls.Rules).ObjectOwnership.Value);
        var page = await browser.GetAsync("/console/s3/settings?name=console-settings");
        Assert.Contains("AES256", page.Body, StringComparison.Ordinal);

        // Refused: S3's own validation message, the draft kept, nothing changed.
        var bad = await browser.PostAsync("/console/s3/settings/document", new Dictionary<string, string> { ["name"] = "console-settings", ["kind"] = "cors", ["document"] = """{"CORSRules":[{"AllowedMethods":["BREW"],"AllowedOrigins":["*"]}]}""", ["action"] = "save" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("InvalidRequest", bad.Body, StringComparison.Ordinal);
        Assert.Contains("BREW", bad.Body, StringComparison.Ordinal);
        var notJson = await browser.PostAsync("/console/s3/settings/document", new Dictionary<string, string> { ["name"] = "console-settings", ["kind"] = "lifecycle", ["document"] = "{not json", ["action"] = "save" });
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Contains("MalformedXML", notJson.Body, StringComparison.Ordinal);
        Assert.Equal("https://www.example.org", (await s3.GetCORSConfigurationAsync("console-settings")).Configuration.Rules.Single().AllowedOrigins.Single());

        var removed = await browser.PostAsync("/console/s3/settings/document", new Dictionary<string, string> { ["name"] = "console-settings", ["kind"] = "cors", ["document"] = "", ["action"] = "delete" });
        Assert.Contains("CORS removed.", removed.Body, StringComparison.Ordinal);
        var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync("console-settings"));
        Assert.Equal("NoSuchCORSConfiguration", gone.ErrorCode);
    }
}
