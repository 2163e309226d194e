using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// Malformed, unauthenticated and oversized requests: each gets AWS's error for it, in the shape of
/// the protocol it was addressed to, and never a 500 or a dropped connection.
/// </summary>
public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    public enum Shape
    {
        QueryXml,
        Json,
        S3Xml,

        /// <summary>Kestrel refuses the request line itself (a NUL in the path) before any of our code runs.</summary>
        KestrelBareStatus,
    }

    public sealed record BadRequest(string Name, HttpMethod Method, string PathAndQuery, Dictionary<string, string> Headers, string? Body, string? ContentType, HttpStatusCode Status, string Code, Shape Shape)
    {
        public override string ToString() => Name;
    }

    // Placeholders the cases are written with; each case fills them in with the clock when it runs, so a suite
    // that runs long or crosses midnight never sends a date captured when the class was loaded.
    private const string Today = "@today@";
    private const string Now = "@now@";
    private const string Form = "application/x-www-form-urlencoded; charset=utf-8";
    private const string Sig = "Signature=0000000000000000000000000000000000000000000000000000000000000000";

    private static string Auth(string service, string date = "") =>
        $"AWS4-HMAC-SHA256 Credential={TestServer.RootAccessKeyId}/{(date.Length > 0 ? date : Today)}/eu-west-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, {Sig}";

    public static TheoryData<BadRequest> Cases() => new()
    {
        new("unsigned query call", HttpMethod.Post, "/", [], "Action=GetCallerIdentity&Version=2011-06-15", Form, HttpStatusCode.Forbidden, "MissingAuthenticationToken", Shape.QueryXml),
        new("credential without scope", HttpMethod.Post, "/", new() { ["Authorization"] = "AWS4-HMAC-SHA256 Credential=garbage, SignedHeaders=host, " + Sig, ["X-Amz-Date"] = Now }, "Action=GetCallerIdentity&Version=2011-06-15", Form, HttpStatusCode.BadRequest, "IncompleteSignature", Shape.QueryXml),
        new("missing signature field", HttpMethod.Post, "/", new() { ["Authorization"] = $"AWS4-HMAC-SHA256 Credential={TestServer.RootAccessKeyId}/{Today}/eu-west-1/sts/aws4_request, SignedHeaders=host", ["X-Amz-Date"] = Now }, "Action=GetCallerIdentity", Form, HttpStatusCode.BadRequest, "IncompleteSignature", Shape.QueryXml),
        new("garbage date", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts"), ["X-Amz-Date"] = "tomorrow-ish" }, "Action=GetCallerIdentity", Form, HttpStatusCode.BadRequest, "IncompleteSignature", Shape.QueryXml),
        new("date from 2015", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts", "20150830"), ["X-Amz-Date"] = "20150830T123600Z" }, "Action=GetCallerIdentity", Form, HttpStatusCode.Forbidden, "RequestTimeTooSkewed", Shape.QueryXml),
        new("unknown access key", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts").Replace(TestServer.RootAccessKeyId, "AKIANOSUCHKEY0000000", StringComparison.Ordinal), ["X-Amz-Date"] = Now }, "Action=GetCallerIdentity", Form, HttpStatusCode.Forbidden, "InvalidClientTokenId", Shape.QueryXml),
        new("wrong signature", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts"), ["X-Amz-Date"] = Now }, "Action=GetCallerIdentity", Form, HttpStatusCode.Forbidden, "SignatureDoesNotMatch", Shape.QueryXml),
        new("unknown service in scope", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("ec2"), ["X-Amz-Date"] = Now }, "Action=DescribeInstances", Form, HttpStatusCode.BadRequest, "UnknownService", Shape.QueryXml),
        new("oversized header", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts"), ["X-Amz-Date"] = Now, ["X-Padding"] = new string('a', 70_000) }, "Action=GetCallerIdentity", Form, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", Shape.QueryXml),
        new("oversized body", HttpMethod.Post, "/", new() { ["Authorization"] = Auth("sts"), ["X-Amz-Date"] = Now }, "Action=GetCallerIdentity&Pad=" + new string('a', 2 * 1024 * 1024), Form, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", Shape.QueryXml),
        new("unsigned json call", HttpMethod.Post, "/", new() { ["X-Amz-Target"] = "TrentService.ListKeys" }, "{}", "application/x-amz-json-1.1", HttpStatusCode.Forbidden, "MissingAuthenticationToken", Shape.Json),
        new("unknown json target prefix", HttpMethod.Post, "/", new() { ["X-Amz-Target"] = "NoSuchService_20200101.Op" }, "{}", "application/x-amz-json-1.1", HttpStatusCode.BadRequest, "UnknownOperationException", Shape.Json),
        new("json with bad signature", HttpMethod.Post, "/", new() { ["X-Amz-Target"] = "TrentService.ListKeys", ["Authorization"] = Auth("kms"), ["X-Amz-Date"] = Now }, "{}", "application/x-amz-json-1.1", HttpStatusCode.Forbidden, "SignatureDoesNotMatch", Shape.Json),
        new("s3 anonymous get in a missing bucket", HttpMethod.Get, "/some-bucket/key.txt", [], null, null, HttpStatusCode.NotFound, "NoSuchBucket", Shape.S3Xml),
        new("s3 anonymous unimplemented subresource", HttpMethod.Get, "/some-bucket?inventory&id=x", [], null, null, HttpStatusCode.NotImplemented, "NotImplemented", Shape.S3Xml),
        new("s3 key that is not utf-8", HttpMethod.Get, "/some-bucket/%FF%FE", [], null, null, HttpStatusCode.BadRequest, "InvalidURI", Shape.S3Xml),
        new("s3 key with NUL", HttpMethod.Get, "/some-bucket/a%00b", [], null, null, HttpStatusCode.BadRequest, "", Shape.KestrelBareStatus),
        new("s3 signature version 2", HttpMethod.Get, "/some-bucket/k", new() { ["Authorization"] = "AWS AKIAEXAMPLE:c2ln", ["Host"] = "s3.localhost" }, null, null, HttpStatusCode.BadRequest, "InvalidRequest", Shape.S3Xml),
        new("s3 malformed credential", HttpMethod.Get, "/some-bucket/k", new() { ["Authorization"] = $"AWS4-HMAC-SHA256 Credential=AKIA/{Today}/eu-west-1/s3/aws5_request, SignedHeaders=host, {Sig}", ["X-Amz-Date"] = Now, ["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD" }, null, null, HttpStatusCode.BadRequest, "AuthorizationHeaderMalformed", Shape.S3Xml),
        new("s3 unknown key", HttpMethod.Get, "/some-bucket/k", new() { ["Authorization"] = Auth("s3").Replace(TestServer.RootAccessKeyId, "AKIANOSUCHKEY0000000", StringComparison.Ordinal), ["X-Amz-Date"] = Now, ["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD" }, null, null, HttpStatusCode.Forbidden, "InvalidAccessKeyId", Shape.S3Xml),
        new("s3 missing content sha256", HttpMethod.Get, "/some-bucket/k", new() { ["Authorization"] = Auth("s3"), ["X-Amz-Date"] = Now }, null, null, HttpStatusCode.BadRequest, "InvalidRequest", Shape.S3Xml),
        new("s3 bad content sha256", HttpMethod.Get, "/some-bucket/k", new() { ["Authorization"] = Auth("s3"), ["X-Amz-Date"] = Now, ["x-amz-content-sha256"] = "nonsense" }, null, null, HttpStatusCode.BadRequest, "InvalidArgument", Shape.S3Xml),
        new("s3 presigned expiry beyond a week", HttpMethod.Get, $"/some-bucket/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={TestServer.RootAccessKeyId}%2F{Today}%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date={Now}&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=0000000000000000000000000000000000000000000000000000000000000000", [], null, null, HttpStatusCode.BadRequest, "AuthorizationQueryParametersError", Shape.S3Xml),
        new("s3 unsupported method", new HttpMethod("PATCH"), "/some-bucket/k", [], null, null, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", Shape.S3Xml),
        new("form body not utf-8", HttpMethod.Post, "/", [], "Action=%FF", Form, HttpStatusCode.Forbidden, "MissingAuthenticationToken", Shape.QueryXml),
    };

    private static string Stamped(string text)
    {
        var now = DateTime.UtcNow;
        return text
            .Replace(Today, now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(Now, now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_Bad_GetsAwsErrorInProtocolShape(BadRequest c)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(c.Method, new Uri(_server.Endpoint + Stamped(c.PathAndQuery)));
        foreach (var (name, raw) in c.Headers)
        {
            var value = Stamped(raw);
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (c.Body is not null)
        {
            request.Content = new StringContent(c.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(c.ContentType!);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(c.Status == response.StatusCode, $"{c.Name}: {response.StatusCode} {body}");
        if (c.Shape == Shape.KestrelBareStatus)
        {
            return;
        }

        Assert.True(response.Headers.Contains("x-amz-request-id"));
        var requestId = response.Headers.GetValues("x-amz-request-id").Single();
        switch (c.Shape)
        {
            case Shape.QueryXml:
                var error = XDocument.Parse(body).Root!;
                Assert.Equal("ErrorResponse", error.Name.LocalName);
                Assert.Equal(c.Code, error.Elements().Single(e => e.Name.LocalName == "Error").Elements().Single(e => e.Name.LocalName == "Code").Value);
                Assert.Equal(requestId, error.Elements().Single(e => e.Name.LocalName == "RequestId").Value);
                break;
            case Shape.Json:
                using (var json = JsonDocument.Parse(body))
                {
                    Assert.Equal(c.Code, json.RootElement.GetProperty("__type").GetString());
                }

                break;
            case Shape.S3Xml:
                var s3 = XDocument.Parse(body).Root!;
                Assert.Equal("Error", s3.Name.LocalName);
                Assert.Equal(c.Code, s3.Element("Code")!.Value);
                Assert.Equal(requestId, s3.Element("RequestId")!.Value);
                break;
            default:
                throw new InvalidOperationException();
        }
    }

    [Fact]
    public async Task Presigned_Expired_IsAccessDeniedRequestHasExpired()
    {
        var signedAt = DateTime.UtcNow.AddMinutes(-10).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var url = await GetCallerIdentityTests.Presign(_server.Endpoint, expires: 60, date: signedAt);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code><Message>Request has expired</Message>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedUnknownAction_IsInvalidAction()
    {
        var url = await GetCallerIdentityTests.Presign(_server.Endpoint, expires: 60, action: "NoSuchAction");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidAction</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedUnimplementedAction_IsNotImplemented()
    {
        var url = await GetCallerIdentityTests.Presign(_server.Endpoint, expires: 60, action: "GetFederationToken");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Contains("<Code>NotImplemented</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
