using System.Net;
using System.Net.Http.Headers;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Cli.Commands;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Assets;

/// <summary>The assets router through its own listener, with real HTTP clients: mapping, 404 page, signatures, conditionals.</summary>
public sealed class AssetsRouterTests(AssetsFixture fixture) : IClassFixture<AssetsFixture>
{
    private string Assets => fixture.Assets;

    [Theory]
    [InlineData("/fw/documents/which.txt", "documents")]
    [InlineData("/fw/agreements/which.txt", "agreements")]
    [InlineData("/fw/communications/which.txt", "communications")]
    [InlineData("/fw/submissions/which.txt", "submissions")]
    [InlineData("/fw/reports/which.txt", "reports")]
    [InlineData("/fw/anything-else/which.txt", "documents (default)")]
    [InlineData("/g-cloud-7/documents/which.txt", "g7 drafts")]
    [InlineData("/g-cloud-7x/documents/which.txt", "documents for g-cloud-7x")]
    public async Task Get_PublicPath_IsServedFromTheBucketItsSecondSegmentOrPrefixNames(string path, string expected)
    {
        using var http = AssetsFixture.Http();
        using var response = await http.GetAsync(new Uri(Assets + path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_AssetsListener_IsNotTheS3Listener()
    {
        Assert.NotEqual(fixture.Server.Endpoint, Assets);
        using var http = AssetsFixture.Http();

        // The S3 listener is untouched by the router: its answers stay S3's (anonymous, without s3:ListBucket: 403).
        using var direct = await http.GetAsync(new Uri($"{fixture.Server.Endpoint}/{fixture.Bucket("documents")}/fw/missing.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fw/documents/a b+c~%.pdf")]
    [InlineData("fw/documents/ünïcödé €/x.pdf")]
    [InlineData("fw/documents/!'()*=&;,$@:.pdf")]
    [InlineData("fw/agreements/a b+c~%.pdf")]
    public async Task Get_EncodedCharacters_ReachTheSameKey(string key)
    {
        var category = key.Split('/')[1];
        await fixture.PutAsync(fixture.Bucket(category), key, "key " + key, publicRead: true);
        using var http = AssetsFixture.Http();
        var path = "/" + string.Join("/", key.Split('/').Select(Uri.EscapeDataString));
        using var response = await http.GetAsync(new Uri(Assets + path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("key " + key, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PresignedUrlWithResponseOverrides_PassesPathAndQueryByteForByte()
    {
        const string key = "fw/agreements/signed (1) & co.pdf";
        await fixture.PutAsync(fixture.Bucket("agreements"), key, "signed agreement", publicRead: false);
        using var s3 = SignerFor(fixture.Options.Buckets["agreements"]);
        var signed = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = fixture.Bucket("agreements"),
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Amazon.S3.Protocol.HTTP,
            ResponseHeaderOverrides = { ContentDisposition = "attachment; filename=\"signed (1).pdf\"", ContentType = "application/pdf" },
        });
        var publicUrl = Assets + signed[("http://127.0.0.1:4566/" + fixture.Bucket("agreements")).Length..];
        using var http = AssetsFixture.Http();
        using var response = await http.GetAsync(new Uri(publicUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("signed agreement", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment; filename=\"signed (1).pdf\"", response.Content.Headers.ContentDisposition!.ToString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Get_MissingKey_IsTheSitesNotFoundPage(string method)
    {
        using var http = AssetsFixture.Http();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(Assets + "/fw/documents/no-such-document.pdf")));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(AssetsFixture.NotFoundPage.Length, response.Content.Headers.ContentLength);
        Assert.Equal(method == "GET" ? AssetsFixture.NotFoundPage : "", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PrivateObjectAnonymously_IsTheNotFoundPageNotS3sAccessDenied()
    {
        await fixture.PutAsync(fixture.Bucket("agreements"), "fw/agreements/private.pdf", "private", publicRead: false);
        using var http = AssetsFixture.Http();
        using var response = await http.GetAsync(new Uri(Assets + "/fw/agreements/private.pdf"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(AssetsFixture.NotFoundPage, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PresignedViaAssets_WorksFor30Seconds_ThenFails_AndATamperedOneNever()
    {
        await fixture.PutAsync(fixture.Bucket("agreements"), "fw/agreements/framework-agreement.pdf", "countersigned", publicRead: false);
        var url = await Presign.UrlAsync(
            new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            $"s3://{fixture.Bucket("agreements")}/fw/agreements/framework-agreement.pdf",
            30,
            endpoint: null,
            region: "eu-west-1",
            viaAssets: "https://assets.example",
            fixture.Options,
            DateTime.UtcNow);
        Assert.StartsWith("https://assets.example/fw/agreements/framework-agreement.pdf?", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=30", url, StringComparison.Ordinal);
        var onRouter = Assets + url["https://assets.example".Length..];
        using var http = AssetsFixture.Http();
        Assert.Equal("countersigned", await http.GetStringAsync(new Uri(onRouter)));

        var tampered = onRouter.Replace("framework-agreement.pdf", "framework-agreement.pdX", StringComparison.Ordinal);
        using (var refused = await http.GetAsync(new Uri(tampered)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal(AssetsFixture.NotFoundPage, await refused.Content.ReadAsStringAsync());
        }

        var signature = onRouter.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length;
        var badSignature = onRouter[..signature] + (onRouter[signature] == '0' ? '1' : '0') + onRouter[(signature + 1)..];
        using (var refused = await http.GetAsync(new Uri(badSignature)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        fixture.Clock.Offset = TimeSpan.FromSeconds(31);
        try
        {
            using var expired = await http.GetAsync(new Uri(onRouter));
            Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
            Assert.Equal(AssetsFixture.NotFoundPage, await expired.Content.ReadAsStringAsync());
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Get_RangeAndConditionals_PassThrough()
    {
        await fixture.PutAsync(fixture.Bucket("documents"), "fw/documents/ranged.txt", "0123456789", publicRead: true);
        var url = new Uri(Assets + "/fw/documents/ranged.txt");
        using var http = AssetsFixture.Http();
        using var whole = await http.GetAsync(url);
        var etag = whole.Headers.ETag!;
        var lastModified = whole.Content.Headers.LastModified!.Value;

        using (var range = new HttpRequestMessage(HttpMethod.Get, url))
        {
            range.Headers.Range = new RangeHeaderValue(2, 5);
            using var partial = await http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal("2345", await partial.Content.ReadAsStringAsync());
            Assert.Equal("bytes 2-5/10", partial.Content.Headers.ContentRange!.ToString());
        }

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(etag, notModified.Headers.ETag);
        }

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfModifiedSince = lastModified;
            using var notModified = await http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfModifiedSince = lastModified.AddDays(-1);
            using var modified = await http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        }

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(10, head.Content.Headers.ContentLength);
        Assert.Equal(etag, head.Headers.ETag);
    }

    [Theory]
    [InlineData("GET /fw/documents/../../" + "AGREEMENTS" + "/fw/agreements/which.txt HTTP/1.1", "dot segments")]
    [InlineData("GET /fw/%2e%2e/%2E%2E/AGREEMENTS/fw/agreements/which.txt HTTP/1.1", "encoded dot segments")]
    [InlineData("GET /fw/documents/..%2F..%2FAGREEMENTS/fw/agreements/which.txt HTTP/1.1", "encoded slashes")]
    [InlineData("GET /fw/documents/..%5C..%5CAGREEMENTS/which.txt HTTP/1.1", "encoded backslashes")]
    [InlineData("GET /_cloudkeep/health HTTP/1.1", "Cloudkeep's own endpoints")]
    [InlineData("GET /_CLOUDKEEP/metrics HTTP/1.1", "Cloudkeep's own endpoints, in capitals")]
    [InlineData("GET /%5Fcloudkeep/metrics HTTP/1.1", "Cloudkeep's own endpoints, encoded")]
    [InlineData("GET / HTTP/1.1", "a bucket listing")]
    [InlineData("GET /?list-type=2 HTTP/1.1", "a bucket listing")]
    public async Task Get_PathThatCouldLeaveTheBase_IsTheNotFoundPage(string requestLine, string what)
    {
        var (status, _, body) = await AssetsFixture.RawAsync(Assets, requestLine.Replace("AGREEMENTS", fixture.Bucket("agreements"), StringComparison.Ordinal));
        Assert.True(status == 404, $"{what}: {status}");
        Assert.Equal(AssetsFixture.NotFoundPage, body);
    }

    [Fact]
    public async Task Get_AbsoluteUriInTheRequestLine_NeverReachesAnotherHost()
    {
        // Kestrel takes the absolute form's path; the router then maps it like any other (never to the named host).
        var (status, _, body) = await AssetsFixture.RawAsync(Assets, $"GET {fixture.Server.Endpoint}/_cloudkeep/health HTTP/1.1");
        Assert.True(status is 400 or 404, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("management", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"ok\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HostHeaderNamingAnotherBucket_IsIgnored_TheRouteIsThePath()
    {
        var (status, _, body) = await AssetsFixture.RawAsync(Assets, "GET /fw/anything-else/which.txt HTTP/1.1", $"Host: {fixture.Bucket("agreements")}.s3.localhost");
        Assert.Equal(200, status);
        Assert.Equal("documents (default)", body);
    }

    [Fact]
    public async Task Get_CredentialHeaders_AreNotForwarded()
    {
        await fixture.PutAsync(fixture.Bucket("agreements"), "fw/agreements/only-root.pdf", "root's", publicRead: false);

        // Signed by root for the agreements base's host: S3 would accept it, had the router let Authorization through.
        var request = new RawRequest { Method = "GET", PathSegments = [.. $"{fixture.Bucket("agreements")}/fw/agreements/only-root.pdf".Split('/').Select(RawRequest.Utf8)] };
        using var signed = request.ToSignedMessage(new Uri("http://127.0.0.1:4566"), "s3", "eu-west-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        var headers = signed.Headers.Where(h => h.Key != "Host").Select(h => $"{h.Key}: {string.Join(",", h.Value)}").ToArray();
        var (status, _, body) = await AssetsFixture.RawAsync(Assets, "GET /fw/agreements/only-root.pdf HTTP/1.1", headers);
        Assert.Equal(404, status);
        Assert.Equal(AssetsFixture.NotFoundPage, body);
    }

    [Theory]
    [InlineData("/fw/documents/which.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")]
    [InlineData("/fw/documents/which.txt?X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request")]
    [InlineData("/fw/agreements/which.txt?Action=GetCallerIdentity&Version=2011-06-15")]
    [InlineData("/fw/agreements/which.txt?action=GetCallerIdentity")]
    public async Task Get_QueryNamingAnotherService_IsRefused(string pathAndQuery)
    {
        using var http = AssetsFixture.Http();
        using var response = await http.GetAsync(new Uri(Assets + pathAndQuery));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(AssetsFixture.NotFoundPage, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public async Task Write_Methods_AreNotAllowed(string method)
    {
        using var http = AssetsFixture.Http();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Assets + "/fw/documents/which.txt"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        using var still = await http.GetAsync(new Uri(Assets + "/fw/documents/which.txt"));
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task FaviconAndRobots_AreServedLocally()
    {
        using var http = AssetsFixture.Http();
        Assert.Equal([0, 0, 1, 0, 1, 0], await http.GetByteArrayAsync(new Uri(Assets + "/favicon.ico")));
        Assert.Equal("User-agent: *\nDisallow:\n", await http.GetStringAsync(new Uri(Assets + "/robots.txt")));
    }

    [Fact]
    public async Task Curl_FetchesAPublicDocumentAndARange()
    {
        var result = await ProcessRunner.RunAsync("curl", ["-sS", "-f", Assets + "/fw/communications/which.txt"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("communications", result.StandardOutput);
        var range = await ProcessRunner.RunAsync("curl", ["-sS", "-r", "0-3", "-o", "/dev/null", "-w", "%{http_code}", Assets + "/fw/communications/which.txt"]);
        Assert.Equal("206", range.StandardOutput);
        var missing = await ProcessRunner.RunAsync("curl", ["-sS", "-w", "\n%{http_code}", Assets + "/fw/communications/gone.txt"]);
        Assert.Equal(AssetsFixture.NotFoundPage + "\n404", missing.StandardOutput);
    }

    private AmazonS3Client SignerFor(Cloudkeep.Server.Assets.AssetsBase target) =>
        new(new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config
        {
            ServiceURL = target.Url.GetLeftPart(UriPartial.Authority),
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });
}
