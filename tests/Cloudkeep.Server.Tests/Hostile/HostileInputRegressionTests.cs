using System.Net;
using System.Text;
using Amazon.S3.Model;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>
/// The cases found by fuzzing from outside (issue R), each by name: every one was a 500, or a 200
/// that stored something later requests could not write back. Each now gets AWS's 4xx, or succeeds
/// and reads back, and leaves nothing behind when refused.
/// </summary>
public sealed class HostileInputRegressionTests : IAsyncLifetime
{
    private const string Bucket = "hostile";
    private const string AllowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public enum Protocol
    {
        Query,
        Json,
        S3,
    }

    public sealed record HostileCase(string Name, string Service, Protocol Protocol, Func<RawRequest> Request, HttpStatusCode Status, string Code)
    {
        public override string ToString() => Name;
    }

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _http = RawRequest.NewClient();
        using var s3 = S3Clients.Root(_server);
        await s3.PutBucketAsync(Bucket);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static RawRequest Query(string action, string version, params (string Name, string Value)[] parameters)
    {
        var pairs = new[] { ("Action", action), ("Version", version) }.Concat(parameters);
        return new RawRequest
        {
            Method = "POST",
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
            Body = Encoding.ASCII.GetBytes(string.Join("&", pairs.Select(p => RawRequest.Encode(RawRequest.Utf8(p.Item1)) + "=" + RawRequest.Encode(RawRequest.Utf8(p.Item2))))),
        };
    }

    private static RawRequest Iam(string action, params (string Name, string Value)[] parameters) => Query(action, "2010-05-08", parameters);

    private static RawRequest Json(string target, byte[] body)
    {
        var request = new RawRequest { Method = "POST", ContentType = "application/x-amz-json-1.1", Body = body };
        request.Headers.Add(("X-Amz-Target", RawRequest.Utf8(target)));
        return request;
    }

    private static RawRequest S3(string method, string key, string? query = null, params (string Name, string Value)[] headers) =>
        S3Raw.Request(method, Bucket, key, query, headers);

    private static string PolicyWith(string action) =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";

    private static readonly string LoneSurrogatePolicy = PolicyWith("\\ud800");

    public static TheoryData<HostileCase> Cases() => new()
    {
        // 1. Lone UTF-16 surrogate escapes in policy JSON.
        new("iam CreatePolicy with a lone surrogate escape", "iam", Protocol.Query, () => Iam("CreatePolicy", ("PolicyName", "surrogate"), ("PolicyDocument", LoneSurrogatePolicy)), HttpStatusCode.BadRequest, "MalformedPolicyDocument"),
        new("iam PutUserPolicy with a low surrogate escape", "iam", Protocol.Query, () => Iam("PutUserPolicy", ("UserName", "nobody"), ("PolicyName", "p"), ("PolicyDocument", PolicyWith("\\udc00"))), HttpStatusCode.BadRequest, "MalformedPolicyDocument"),
        new("iam CreateRole trust policy with a lone surrogate escape", "iam", Protocol.Query, () => Iam("CreateRole", ("RoleName", "surrogate"), ("AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"\\ud800\"},\"Action\":\"sts:AssumeRole\"}]}")), HttpStatusCode.BadRequest, "MalformedPolicyDocument"),
        new("s3 PutBucketPolicy with a lone surrogate escape", "s3", Protocol.S3, () => { var r = S3("PUT", "", "policy"); r.Body = Encoding.UTF8.GetBytes(LoneSurrogatePolicy.Replace("\\ud800", "s3:GetObject\\ud800", StringComparison.Ordinal)); return r; }, HttpStatusCode.BadRequest, "MalformedPolicy"),
        new("organizations CreatePolicy with a lone surrogate escape", "organizations", Protocol.Json, () => Json("AWSOrganizationsV20161128.CreatePolicy", Encoding.UTF8.GetBytes("{\"Name\":\"p\",\"Description\":\"d\",\"Type\":\"SERVICE_CONTROL_POLICY\",\"Content\":" + System.Text.Json.JsonSerializer.Serialize(LoneSurrogatePolicy) + "}")), HttpStatusCode.BadRequest, "MalformedPolicyDocumentException"),

        // 2. The JSON protocol decoder.
        new("kms body with a lone surrogate escape", "kms", Protocol.Json, () => Json("TrentService.DescribeKey", Encoding.UTF8.GetBytes("{\"KeyId\":\"\\ud800\"}")), HttpStatusCode.BadRequest, "SerializationException"),
        new("kms body with an invalid UTF-8 byte", "kms", Protocol.Json, () => Json("TrentService.DescribeKey", [.. "{\"KeyId\":\""u8, 0xff, .. "\"}"u8]), HttpStatusCode.BadRequest, "SerializationException"),
        new("kms body with a member given twice keeps the last", "kms", Protocol.Json, () => Json("TrentService.DescribeKey", Encoding.UTF8.GetBytes("{\"KeyId\":\"a\",\"KeyId\":\"alias/none\"}")), HttpStatusCode.BadRequest, "NotFoundException"),
        new("organizations body with an invalid UTF-8 byte", "organizations", Protocol.Json, () => Json("AWSOrganizationsV20161128.DescribeAccount", [.. "{\"AccountId\":\""u8, 0xc0, 0x80, .. "\"}"u8]), HttpStatusCode.BadRequest, "SerializationException"),

        // 3. Errors that quote the bad input.
        new("iam GetUser with a NUL in UserName", "iam", Protocol.Query, () => Iam("GetUser", ("UserName", "a\0b")), HttpStatusCode.BadRequest, "ValidationError"),
        new("iam ListUsers with Marker NUL", "iam", Protocol.Query, () => Iam("ListUsers", ("Marker", "\0")), HttpStatusCode.BadRequest, "ValidationError"),
        new("sts Action NUL", "sts", Protocol.Query, () => Query("\0", "2011-06-15"), HttpStatusCode.BadRequest, "InvalidAction"),
        new("s3 GET of a missing key with %01", "s3", Protocol.S3, () => S3("GET", "key\u0001"), HttpStatusCode.NotFound, "NoSuchKey"),
        new("s3 ListParts with uploadId NUL", "s3", Protocol.S3, () => S3("GET", "k", "uploadId=%00".Replace("%00", "\0", StringComparison.Ordinal)), HttpStatusCode.NotFound, "NoSuchUpload"),
        new("s3 CopyObject from a source with NUL", "s3", Protocol.S3, () => S3("PUT", "copy", null, ("x-amz-copy-source", "/hostile/a%00")), HttpStatusCode.NotFound, "NoSuchKey"),

        // 4. Listing with control characters in its parameters, with nothing stored.
        new("s3 ListObjects prefix %01", "s3", Protocol.S3, () => S3("GET", "", "prefix=\u0001"), HttpStatusCode.OK, ""),
        new("s3 ListObjects marker NUL", "s3", Protocol.S3, () => S3("GET", "", "marker=\0"), HttpStatusCode.OK, ""),
        new("s3 ListObjects delimiter NUL", "s3", Protocol.S3, () => S3("GET", "", "delimiter=\0"), HttpStatusCode.OK, ""),
        new("s3 ListObjectsV2 start-after NUL", "s3", Protocol.S3, () => S3("GET", "", "list-type=2&start-after=\0"), HttpStatusCode.OK, ""),
        new("s3 x-amz-tagging with a control character", "s3", Protocol.S3, () => { var r = S3("PUT", "tagged", null, ("x-amz-tagging", "k=v%01")); r.Body = "x"u8.ToArray(); return r; }, HttpStatusCode.BadRequest, "InvalidTag"),
        new("iam GetContextKeysForCustomPolicy of '{'", "iam", Protocol.Query, () => Iam("GetContextKeysForCustomPolicy", ("PolicyInputList.member.1", "{")), HttpStatusCode.BadRequest, "InvalidInput"),

        // 5. Control characters in stored headers.
        new("s3 PUT with a control character in x-amz-meta-", "s3", Protocol.S3, () => S3("PUT", "meta", null, ("x-amz-meta-a", "x\u0001y")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with DEL in Content-Type", "s3", Protocol.S3, () => { var r = S3("PUT", "type"); r.ContentType = "x\u007fy"; return r; }, HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with a control character in Cache-Control", "s3", Protocol.S3, () => S3("PUT", "cache", null, ("Cache-Control", "a\u0001")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with a control character in Content-Disposition", "s3", Protocol.S3, () => S3("PUT", "disp", null, ("Content-Disposition", "a\u0002")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with a control character in Content-Language", "s3", Protocol.S3, () => S3("PUT", "lang", null, ("Content-Language", "a\u0003")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with a control character in Content-Encoding", "s3", Protocol.S3, () => S3("PUT", "enc", null, ("Content-Encoding", "a\u0004")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 PUT with a control character in the website redirect", "s3", Protocol.S3, () => S3("PUT", "redirect", null, ("x-amz-website-redirect-location", "/a\u0005")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("s3 GET with response-content-type %01", "s3", Protocol.S3, () => S3("GET", "missing", "response-content-type=\u0001"), HttpStatusCode.BadRequest, "InvalidArgument"),

        // 6. ListParts with max-parts below zero.
        new("s3 ListParts max-parts -1", "s3", Protocol.S3, () => S3("GET", "k", "uploadId=none&max-parts=-1"), HttpStatusCode.NotFound, "NoSuchUpload"),

        // 7. GetContextKeysForCustomPolicy with documents that are not policies.
        new("iam GetContextKeysForCustomPolicy of null", "iam", Protocol.Query, () => Iam("GetContextKeysForCustomPolicy", ("PolicyInputList.member.1", "null")), HttpStatusCode.BadRequest, "InvalidInput"),
        new("iam GetContextKeysForCustomPolicy of []", "iam", Protocol.Query, () => Iam("GetContextKeysForCustomPolicy", ("PolicyInputList.member.1", "[]")), HttpStatusCode.BadRequest, "InvalidInput"),
        new("iam GetContextKeysForCustomPolicy of a string", "iam", Protocol.Query, () => Iam("GetContextKeysForCustomPolicy", ("PolicyInputList.member.1", "\"x\"")), HttpStatusCode.BadRequest, "InvalidInput"),
        new("iam GetContextKeysForCustomPolicy nested 100 deep", "iam", Protocol.Query, () => Iam("GetContextKeysForCustomPolicy", ("PolicyInputList.member.1", "{\"a\":" + new string('[', 100) + new string(']', 100) + "}")), HttpStatusCode.BadRequest, "InvalidInput"),

        // Found by the model-driven tests.
        new("iam CreateVirtualMFADevice with a 64 KiB name", "iam", Protocol.Query, () => Iam("CreateVirtualMFADevice", ("VirtualMFADeviceName", new string('a', 64 * 1024))), HttpStatusCode.BadRequest, "ValidationError"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequest_AnswersAwsErrorAndLeavesNothing(HostileCase c)
    {
        var before = EstateSnapshot.Take(_server.DataDirectory);
        var (status, code, text) = await SendAsync(c.Service, c.Protocol, c.Request());
        Assert.True(c.Status == status, $"{c.Name}: {(int)status} {text}");
        Assert.Equal(c.Code, code);
        if ((int)status >= 400)
        {
            Assert.Equal(before, EstateSnapshot.Take(_server.DataDirectory));
        }

        Assert.Equal(0, await Metrics.UnexpectedExceptionsAsync(_http, _server.Endpoint));
    }

    private async Task<(HttpStatusCode Status, string Code, string Text)> SendAsync(string service, Protocol protocol, RawRequest request)
    {
        var region = service is "iam" or "organizations" ? "us-east-1" : "eu-west-1";
        using var message = request.ToSignedMessage(new Uri(_server.Endpoint), service, region, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var code = (int)response.StatusCode < 300 ? "" : ModelDrivenHostileInputTests.ErrorCode(protocol switch
        {
            Protocol.Query => ServiceProtocol.Query,
            Protocol.Json => ServiceProtocol.Json,
            _ => ServiceProtocol.RestXml,
        }, body) ?? "(not an AWS error document)";
        return (response.StatusCode, code, Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task KeyWithControlCharacters_IsStoredAndListedAsCharacterReferences()
    {
        using var s3 = S3Clients.Root(_server);
        var (status, _, _) = await SendAsync("s3", Protocol.S3, WithBody(S3("PUT", "x\u0001y\uffffz"), "abc"));
        Assert.Equal(HttpStatusCode.OK, status);

        // The SDK for .NET asks for url encoding and decodes it, as boto3 does.
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "x" });
        Assert.Contains("x\u0001y\uffffz", listed.S3Objects.Select(o => o.Key));

        // Without url encoding S3 writes character references; a lenient XML reader reads them back.
        var (listStatus, _, text) = await SendAsync("s3", Protocol.S3, S3("GET", "", "prefix=x"));
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains("<Key>x&#x1;y&#xFFFF;z</Key>", text, StringComparison.Ordinal);
        var (v2Status, _, _) = await SendAsync("s3", Protocol.S3, S3("GET", "", "list-type=2"));
        Assert.Equal(HttpStatusCode.OK, v2Status);
    }

    [Fact]
    public async Task MultipartUploadOfKeyWithControlCharacter_ReturnsItsIdAndIsListed()
    {
        using var s3 = S3Clients.Root(_server);
        var (status, _, text) = await SendAsync("s3", Protocol.S3, S3("POST", "m\u0001", "uploads"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<UploadId>", text, StringComparison.Ordinal);
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket });
        Assert.Contains("m\u0001", uploads.MultipartUploads.Select(u => u.Key));
        var (rawStatus, _, _) = await SendAsync("s3", Protocol.S3, S3("GET", "", "uploads"));
        Assert.Equal(HttpStatusCode.OK, rawStatus);
    }

    [Fact]
    public async Task PolicyDescriptionWithControlCharacter_IsCreatedAndReadBack()
    {
        var (status, _, created) = await SendAsync("iam", Protocol.Query, Iam("CreatePolicy", ("PolicyName", "described"), ("Description", "a\u0001b"), ("PolicyDocument", AllowAll)));
        Assert.True(status == HttpStatusCode.OK, created);
        Assert.Contains("<Description>a&#x1;b</Description>", created, StringComparison.Ordinal);
        foreach (var action in new[] { "ListPolicies", "GetAccountAuthorizationDetails" })
        {
            var (listStatus, _, text) = await SendAsync("iam", Protocol.Query, Iam(action));
            Assert.True(listStatus == HttpStatusCode.OK, text);
        }
    }

    [Fact]
    public async Task MetadataInRfc2047_IsDecodedWhenStoredAndEncodedWhenAnswered()
    {
        // boto3 refuses non-ASCII metadata; RFC 2047 is how such values travel ("Working with object metadata").
        var (status, _, _) = await SendAsync("s3", Protocol.S3, WithBody(S3("PUT", "accents", null, ("x-amz-meta-b", "=?UTF-8?B?Y2Fmw6k=?="), ("x-amz-meta-q", "=?UTF-8?Q?caf=C3=A9?=")), "x"));
        Assert.Equal(HttpStatusCode.OK, status);
        using var s3 = S3Clients.Root(_server);
        var head = await s3.GetObjectMetadataAsync(Bucket, "accents");
        Assert.Equal("=?UTF-8?B?Y2Fmw6k=?=", head.Metadata["x-amz-meta-b"]);
        Assert.Equal("=?UTF-8?B?Y2Fmw6k=?=", head.Metadata["x-amz-meta-q"]);
    }

    [Fact]
    public async Task MetadataSentAsLatin1OrUtf8Bytes_IsAcceptedAndAnsweredInRfc2047()
    {
        // Python's http.client sends ISO-8859-1 bytes, the SDKs for .NET, Java and Go send UTF-8:
        // neither gets Kestrel's bare 400, and both come back as one RFC 2047 word.
        foreach (var (name, bytes) in new[] { ("latin1", new byte[] { 0x63, 0x61, 0x66, 0xe9 }), ("utf8", "café"u8.ToArray()) })
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, new Uri(_server.Endpoint).Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /{Bucket}/{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-amz-meta-a: "));
            await stream.WriteAsync(bytes);
            await stream.WriteAsync("\r\n\r\n"u8.ToArray());
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var answer = await reader.ReadToEndAsync();
            Assert.Contains("x-amz-request-id", answer, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ListPartsWithMaxPartsZero_AnswersAnEmptyTruncatedPage()
    {
        using var s3 = S3Clients.Root(_server);
        var upload = await s3.InitiateMultipartUploadAsync(Bucket, "parts");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "parts", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        var (status, _, text) = await SendAsync("s3", Protocol.S3, S3("GET", "parts", $"uploadId={upload.UploadId}&max-parts=0"));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Contains("<IsTruncated>true</IsTruncated>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<Part>", text, StringComparison.Ordinal);
        var (negative, code, _) = await SendAsync("s3", Protocol.S3, S3("GET", "parts", $"uploadId={upload.UploadId}&max-parts=-1"));
        Assert.Equal(HttpStatusCode.BadRequest, negative);
        Assert.Equal("InvalidArgument", code);
    }

    [Fact]
    public async Task AssumeRoleSessionPolicyWithLoneSurrogate_IsMalformedPolicyDocument()
    {
        var root = Cli.Root(_server);
        var erin = await root.CreateUserWithKeyAsync("erin");
        await root.RunAsync("iam", "put-user-policy", "--user-name", "erin", "--policy-name", "assume", "--policy-document", PolicyWith("sts:AssumeRole"));
        var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + _server.AccountId + "\"},\"Action\":\"sts:AssumeRole\"}]}";
        var role = await root.RunAsync("iam", "create-role", "--role-name", "surrogate-session", "--assume-role-policy-document", trust);
        var error = await erin.FailAsync("sts", "assume-role", "--role-arn", role.GetProperty("Role").GetProperty("Arn").GetString()!,
            "--role-session-name", "session", "--policy", LoneSurrogatePolicy);
        Assert.Contains("MalformedPolicyDocument", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, byte[]> BrokenPostBodies() => new()
    {
        { "an empty body", "multipart/form-data; boundary=b0undary", [] },
        { "a body without its boundary", "multipart/form-data; boundary=b0undary", "key=x&file=y"u8.ToArray() },
        { "an unterminated part", "multipart/form-data; boundary=b0undary", "--b0undary\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx"u8.ToArray() },
        { "a boundary with an unclosed quote", "multipart/form-data; boundary=\"b0undary", "--b0undary\r\n"u8.ToArray() },
        { "a boundary longer than RFC 2046 allows", "multipart/form-data; boundary=" + new string('b', 200), "--b\r\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BrokenPostBodies))]
    public async Task BrowserPostUpload_BrokenBody_IsMalformedPostRequest(string name, string contentType, byte[] body)
    {
        var before = EstateSnapshot.Take(_server.DataDirectory);
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await http.PostAsync(new Uri($"{_server.Endpoint}/{Bucket}"), content);
        var text = await response.Content.ReadAsByteArrayAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {response.StatusCode} {Encoding.UTF8.GetString(text)}");
        Assert.Equal("MalformedPOSTRequest", ModelDrivenHostileInputTests.ErrorCode(ServiceProtocol.RestXml, text));
        Assert.Equal(before, EstateSnapshot.Take(_server.DataDirectory));
        Assert.Equal(0, await Metrics.UnexpectedExceptionsAsync(_http, _server.Endpoint));
    }

    public static TheoryData<string> HostilePostPolicies() => new()
    {
        "null",
        "[]",
        """{"expiration":"2099-01-01T00:00:00Z","conditions":[["content-length-range","a","b"]]}""",
        """{"expiration":"2099-01-01T00:00:00Z","conditions":[["starts-with",1,2]]}""",
        """{"expiration":"2099-01-01T00:00:00Z","conditions":[["content-length-range",1e30,2]]}""",
        """{"expiration":"2099-01-01T00:00:00Z","conditions":[["content-length-range",1.5,2]]}""",
        """{"expiration":"2099-01-01T00:00:00Z","conditions":[{"key":"\ud800"}]}""",
    };

    [Theory]
    [MemberData(nameof(HostilePostPolicies))]
    public async Task BrowserPostUpload_SignedHostilePolicy_IsInvalidPolicyDocument(string policy)
    {
        var before = EstateSnapshot.Take(_server.DataDirectory);
        using var http = new HttpClient();
        using var form = SignedPostForm(policy, "posted", "abc"u8.ToArray());
        using var response = await http.PostAsync(new Uri($"{_server.Endpoint}/{Bucket}"), form);
        var text = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, Encoding.UTF8.GetString(text));
        Assert.Equal("InvalidPolicyDocument", ModelDrivenHostileInputTests.ErrorCode(ServiceProtocol.RestXml, text));
        Assert.Equal(before, EstateSnapshot.Take(_server.DataDirectory));
    }

    [Fact]
    public async Task BrowserPostUpload_FilePartCutShort_IsMalformedPostRequestAndStoresNothing()
    {
        var before = EstateSnapshot.Take(_server.DataDirectory);
        using var form = SignedPostForm("""{"expiration":"2099-01-01T00:00:00Z","conditions":[{"bucket":"hostile"},{"key":"cut"},["starts-with","$x-amz-algorithm",""],["starts-with","$x-amz-credential",""],["starts-with","$x-amz-date",""]]}""", "cut", new byte[100_000]);
        var whole = await form.ReadAsByteArrayAsync();
        var cut = whole[..(whole.Length - 60_000)];
        using var http = new HttpClient();
        using var content = new ByteArrayContent(cut);
        content.Headers.TryAddWithoutValidation("Content-Type", form.Headers.ContentType!.ToString());
        using var response = await http.PostAsync(new Uri($"{_server.Endpoint}/{Bucket}"), content);
        var text = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, Encoding.UTF8.GetString(text));
        Assert.Equal("MalformedPOSTRequest", ModelDrivenHostileInputTests.ErrorCode(ServiceProtocol.RestXml, text));
        Assert.Equal(before, EstateSnapshot.Take(_server.DataDirectory));
        Assert.Equal(0, await Metrics.UnexpectedExceptionsAsync(_http, _server.Endpoint));
    }

    /// <summary>A browser upload form signed with SigV4 by the root key, as generate_presigned_post makes it.</summary>
    private static MultipartFormDataContent SignedPostForm(string policy, string key, byte[] file)
    {
        var now = DateTime.UtcNow;
        var date = now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(policy));
        var signingKey = Encoding.UTF8.GetBytes("AWS4" + TestServer.RootSecretAccessKey);
        foreach (var part in new[] { date, "eu-west-1", "s3", "aws4_request" })
        {
            signingKey = System.Security.Cryptography.HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(part));
        }

        var form = new MultipartFormDataContent();
        foreach (var (name, value) in new[]
        {
            ("key", key),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            ("x-amz-credential", $"{TestServer.RootAccessKeyId}/{date}/eu-west-1/s3/aws4_request"),
            ("x-amz-date", now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("policy", encoded),
            ("x-amz-signature", Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(encoded)))),
        })
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent(file), "file", "f.bin");
        return form;
    }

    private static RawRequest WithBody(RawRequest request, string body)
    {
        request.Body = Encoding.UTF8.GetBytes(body);
        return request;
    }
}
