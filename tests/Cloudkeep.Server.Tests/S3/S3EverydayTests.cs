using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>A bucket with a few keys, one of them under a "directory", an old and a new version of one key, and an open multipart upload.</summary>
public class S3EverydayEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public const string Existing = "existing.txt";
    public const string Absent = "absent.txt";
    public const string Body = "existing body";

    public TestServer Server { get; private set; } = null!;

    public string Bucket { get; } = S3Clients.UniqueBucket("everyday");

    public string UploadId { get; private set; } = "";

    /// <summary>An open upload to <see cref="Existing"/> with one part, for conditional completions.</summary>
    public string ExistingUploadId { get; private set; } = "";

    public string ExistingPartETag { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        using var s3 = S3Clients.Root(Server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        foreach (var key in new[] { "dir/a", "dir/b", "top" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key });
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = Existing, ContentBody = "older body" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = Existing, ContentBody = Body });
        UploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "assembled" })).UploadId;
        ExistingUploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = Existing })).UploadId;
        ExistingPartETag = (await s3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = Existing, UploadId = ExistingUploadId, PartNumber = 1, InputStream = new MemoryStream("part"u8.ToArray()) })).ETag;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The rest of everyday S3 (issue B §4): max-keys=0 and an empty delimiter on every listing, part
/// numbers past the object's parts, non-ASCII metadata, bucket policies naming another bucket,
/// policy status without a policy, copy ranges past the source; and each bad input as AWS's error
/// that changes nothing.
/// </summary>
public abstract class S3EverydayTests(S3EverydayEstate estate)
{
    private const string Existing = S3EverydayEstate.Existing;
    private const string Body = S3EverydayEstate.Body;

    private string Bucket => estate.Bucket;

    [Fact]
    public async Task ListObjects_MaxKeysZero_EmptyPageNotTruncated()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, MaxKeys = 0 });

        // AWS answers max-keys=0 with nothing listed and IsTruncated false, whatever the bucket holds.
        Assert.Empty(page.S3Objects ?? []);
        Assert.Empty(page.CommonPrefixes ?? []);
        Assert.NotEqual(true, page.IsTruncated);
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public async Task ListObjectVersions_MaxKeysZero_EmptyPageNotTruncated()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var page = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, MaxKeys = 0 });
        Assert.Empty(page.Versions ?? []);
        Assert.Empty(page.CommonPrefixes ?? []);
        Assert.NotEqual(true, page.IsTruncated);
        Assert.Null(page.NextKeyMarker);
        Assert.Null(page.NextVersionIdMarker);
    }

    [Theory]
    [InlineData("delimiter=")]
    [InlineData("list-type=2&delimiter=")]
    [InlineData("versions&delimiter=")]
    public async Task Listing_EmptyDelimiter_IsAsIfAbsent(string query)
    {
        // The SDKs drop an empty delimiter, so the request is built by hand.
        var answer = await S3Raw.SendAsync(estate.Server, S3Raw.Request("GET", Bucket, "", query + "&prefix=dir/"));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        Assert.DoesNotContain("<Delimiter", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<CommonPrefixes>", answer.Text, StringComparison.Ordinal);
        Assert.Contains("<Key>dir/a</Key>", answer.Text, StringComparison.Ordinal);
        Assert.Contains("<Key>dir/b</Key>", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAndHeadObject_PartNumberBeyondTheParts_InvalidPartNumber416()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = Existing, PartNumber = 2 }));
        Assert.Equal("InvalidPartNumber", get.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, get.StatusCode);
        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = Existing, PartNumber = 2 }));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, head.StatusCode);

        // Part 1 of a simple object is the whole object.
        using var one = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = Existing, PartNumber = 1 });
        Assert.Equal(Body.Length, one.ContentLength);
    }

    [Fact]
    public async Task Metadata_NonAscii_StoredAndAnsweredAsRfc2047ThroughSdkAndBoto3()
    {
        using var s3 = S3Clients.Root(estate.Server);
        // The SDK for .NET refuses non-ASCII headers; Go's and Java's send them as UTF-8 bytes.
        var put = await S3Raw.SendAsync(estate.Server, S3Raw.Request("PUT", Bucket, "accents", null, ("x-amz-meta-city", "Zürich"), ("x-amz-meta-plain", "ascii")).WithBody("x"));
        Assert.True(put.Status == HttpStatusCode.OK, put.Text);

        // S3 answers a value that is not US-ASCII as one RFC 2047 encoded-word ("Working with object metadata").
        const string encoded = "=?UTF-8?B?WsO8cmljaA==?=";
        using (var get = await s3.GetObjectAsync(Bucket, "accents"))
        {
            Assert.Equal(encoded, get.Metadata["x-amz-meta-city"]);
            Assert.Equal("ascii", get.Metadata["x-amz-meta-plain"]);
        }

        var head = await s3.GetObjectMetadataAsync(Bucket, "accents");
        Assert.Equal(encoded, head.Metadata["x-amz-meta-city"]);

        // A copy keeps the metadata, and answers it the same way.
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "accents", DestinationBucket = Bucket, DestinationKey = "accents-copy" });
        Assert.Equal(encoded, (await s3.GetObjectMetadataAsync(Bucket, "accents-copy")).Metadata["x-amz-meta-city"]);
        var result = await Boto3.RunAsync(estate.Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            print(json.dumps(s3.get_object(Bucket='{{Bucket}}', Key='accents')['Metadata']))
            """);
        Assert.Equal(encoded, result.GetProperty("city").GetString());
    }

    [Fact]
    public async Task PutBucketPolicy_ResourceOfAnotherBucket_MalformedPolicyInvalidResource()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{estate.Server.AccountId}}:root"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::{{Bucket}}/*","arn:aws:s3:::someone-elses-bucket/*"]}]}""";
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = Bucket, Policy = policy }));
        Assert.Equal("MalformedPolicy", error.ErrorCode);
        Assert.Equal("Policy has invalid resource", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task GetBucketPolicyStatus_NoPolicy_NoSuchBucketPolicy404()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = Bucket }));
        Assert.Equal("NoSuchBucketPolicy", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task UploadPartCopy_RangePastTheSource_InvalidArgumentNamingTheSize()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = Existing, DestinationBucket = Bucket, DestinationKey = "assembled", UploadId = estate.UploadId, PartNumber = 1, FirstByte = 0, LastByte = Body.Length,
        }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
        Assert.Equal($"Range specified is not valid for source object of size: {Body.Length}", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);

        // A range within the source is copied.
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "assembled-ok" });
        var copied = await s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket, SourceKey = Existing, DestinationBucket = Bucket, DestinationKey = "assembled-ok", UploadId = upload.UploadId, PartNumber = 1, FirstByte = 0, LastByte = Body.Length - 1,
        });
        Assert.NotNull(copied.ETag);
    }

    [Fact]
    public async Task GetObjectAttributes_SimpleObject_AnswersWhatWasAskedWithLastModifiedAndVersion()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var head = await s3.GetObjectMetadataAsync(Bucket, Existing);
        var attributes = await s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = Bucket, Key = Existing, ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.StorageClass, ObjectAttributes.ObjectSize, ObjectAttributes.ObjectParts],
        });
        Assert.Equal(head.ETag.Trim('"'), attributes.ETag);
        Assert.Equal(S3StorageClass.Standard, attributes.StorageClass);
        Assert.Equal(Body.Length, attributes.ObjectSize);
        Assert.Null(attributes.ObjectParts);
        Assert.Equal(head.VersionId, attributes.VersionId);
        Assert.Equal(head.LastModified, attributes.LastModified);

        // Only what was asked, and an older version by its id.
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = Existing });
        var older = versions.Versions.Single(v => v.IsLatest != true);
        var size = await s3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = Existing, VersionId = older.VersionId, ObjectAttributes = [ObjectAttributes.ObjectSize] });
        Assert.Equal("older body".Length, size.ObjectSize);
        Assert.Null(size.ETag);
        Assert.Equal(older.VersionId, size.VersionId);
    }

    [Fact]
    public async Task GetObjectAttributes_MultipartWithChecksumsThroughBoto3_PagesThePartsWithTheirChecksums()
    {
        var result = await Boto3.RunAsync(estate.Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            b, k = '{{Bucket}}', 'parts-with-checksums'
            upload = s3.create_multipart_upload(Bucket=b, Key=k, ChecksumAlgorithm='SHA256')['UploadId']
            sizes = [5 * 1024 * 1024, 5 * 1024 * 1024, 1000]
            parts = []
            for n, size in enumerate(sizes, 1):
                r = s3.upload_part(Bucket=b, Key=k, UploadId=upload, PartNumber=n, Body=bytes([n]) * size, ChecksumAlgorithm='SHA256')
                parts.append({'PartNumber': n, 'ETag': r['ETag'], 'ChecksumSHA256': r['ChecksumSHA256']})
            s3.complete_multipart_upload(Bucket=b, Key=k, UploadId=upload, MultipartUpload={'Parts': parts})
            names = ['ETag', 'Checksum', 'ObjectParts', 'ObjectSize']
            first = s3.get_object_attributes(Bucket=b, Key=k, ObjectAttributes=names, MaxParts=2)
            second = s3.get_object_attributes(Bucket=b, Key=k, ObjectAttributes=names, MaxParts=2, PartNumberMarker=first['ObjectParts']['NextPartNumberMarker'])
            for r in (first, second):
                r.pop('ResponseMetadata'); r.pop('LastModified')
            print(json.dumps({'first': first, 'second': second, 'parts': parts}))
            """);
        var first = result.GetProperty("first");
        var second = result.GetProperty("second");
        var parts = result.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal((2 * 5 * 1024 * 1024) + 1000, first.GetProperty("ObjectSize").GetInt64());
        Assert.EndsWith("-3", first.GetProperty("ETag").GetString(), StringComparison.Ordinal);
        Assert.Equal("COMPOSITE", first.GetProperty("Checksum").GetProperty("ChecksumType").GetString());
        var firstParts = first.GetProperty("ObjectParts");
        Assert.Equal(3, firstParts.GetProperty("TotalPartsCount").GetInt32());
        Assert.True(firstParts.GetProperty("IsTruncated").GetBoolean());
        Assert.Equal([1, 2], firstParts.GetProperty("Parts").EnumerateArray().Select(p => p.GetProperty("PartNumber").GetInt32()));
        Assert.Equal(parts[0].GetProperty("ChecksumSHA256").GetString(), firstParts.GetProperty("Parts")[0].GetProperty("ChecksumSHA256").GetString());
        var secondParts = second.GetProperty("ObjectParts");
        Assert.False(secondParts.GetProperty("IsTruncated").GetBoolean());
        var last = Assert.Single(secondParts.GetProperty("Parts").EnumerateArray());
        Assert.Equal(3, last.GetProperty("PartNumber").GetInt32());
        Assert.Equal(1000, last.GetProperty("Size").GetInt64());
        Assert.Equal(parts[2].GetProperty("ChecksumSHA256").GetString(), last.GetProperty("ChecksumSHA256").GetString());
    }

    [Fact]
    public async Task GetObjectAttributes_DeleteMarker_NoSuchKeyWithTheMarkerHeader()
    {
        using var s3 = S3Clients.Root(estate.Server);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "deleted", ContentBody = "x" });
        await s3.DeleteObjectAsync(Bucket, "deleted");
        var answer = await S3Raw.SendAsync(estate.Server, S3Raw.Request("GET", Bucket, "deleted", "attributes", ("x-amz-object-attributes", "ETag")));
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("NoSuchKey", answer.Code);
        Assert.Equal("true", answer.Headers["x-amz-delete-marker"]);
    }

    /// <summary>A browser POST upload's form signed with SigV4 as a browser page would carry it: the policy as given, signed by the root key.</summary>
    private Dictionary<string, string> SignedPostFields(string policyJson, string key)
    {
        var now = DateTimeOffset.UtcNow;
        var date = now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var policy = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(policyJson));
        var signingKey = System.Text.Encoding.UTF8.GetBytes("AWS4" + TestServer.RootSecretAccessKey);
        foreach (var part in new[] { date, "eu-west-1", "s3", "aws4_request" })
        {
            signingKey = System.Security.Cryptography.HMACSHA256.HashData(signingKey, System.Text.Encoding.UTF8.GetBytes(part));
        }

        return new Dictionary<string, string>
        {
            ["key"] = key,
            ["x-amz-algorithm"] = "AWS4-HMAC-SHA256",
            ["x-amz-credential"] = $"{TestServer.RootAccessKeyId}/{date}/eu-west-1/s3/aws4_request",
            ["x-amz-date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["policy"] = policy,
            ["x-amz-signature"] = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(signingKey, System.Text.Encoding.UTF8.GetBytes(policy))),
        };
    }

    private string PostPolicyWith(string range) =>
        $$"""{"expiration":"{{DateTimeOffset.UtcNow.AddMinutes(10):yyyy-MM-ddTHH:mm:ssZ}}","conditions":[{"bucket":"{{Bucket}}"},["starts-with","$key","uploads/"],["starts-with","$x-amz-algorithm",""],["starts-with","$x-amz-credential",""],["starts-with","$x-amz-date",""]{{range}}]}""";

    private async Task<(HttpStatusCode Status, string Code, string Text)> PostAsync(Dictionary<string, string> fields, string fileName, byte[] file, bool chunked = false)
    {
        using var http = new HttpClient();
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent(file), "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{estate.Server.Endpoint}/{Bucket}") { Content = form };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var code = System.Text.RegularExpressions.Regex.Match(text, "<Code>([^<]*)</Code>").Groups[1].Value;
        return (response.StatusCode, code, text);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadPostPolicies() => new()
    {
        { "not JSON", "{\"expiration\":", HttpStatusCode.BadRequest, "InvalidPolicyDocument" },
        { "without expiration", "{\"conditions\":[[\"starts-with\",\"$key\",\"\"]]}", HttpStatusCode.BadRequest, "InvalidPolicyDocument" },
        { "without conditions", "{\"expiration\":\"2099-01-01T00:00:00Z\"}", HttpStatusCode.BadRequest, "InvalidPolicyDocument" },
        { "with a content-length-range of words", "{\"expiration\":\"2099-01-01T00:00:00Z\",\"conditions\":[[\"content-length-range\",\"ten\",\"twenty\"]]}", HttpStatusCode.BadRequest, "InvalidPolicyDocument" },
        { "expired", "{\"expiration\":\"2001-01-01T00:00:00Z\",\"conditions\":[]}", HttpStatusCode.Forbidden, "AccessDenied" },
    };

    [Theory]
    [MemberData(nameof(BadPostPolicies))]
    public async Task BrowserPost_PolicyS3CannotUse_AnswersItsErrorAndStoresNothing(string name, string policy, HttpStatusCode status, string code)
    {
        var key = "uploads/bad-policy-" + name.Replace(' ', '-');
        var (answered, answeredCode, text) = await PostAsync(SignedPostFields(policy, key), "f.txt", "contents"u8.ToArray());
        Assert.True(answered == status, text);
        Assert.Equal(code, answeredCode);
        using var s3 = S3Clients.Root(estate.Server);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = key })).S3Objects ?? []);
    }

    [Fact]
    public async Task BrowserPost_ContentLengthRange_HoldsChunkedFilesToItAndFilenameNamesTheKey()
    {
        var policy = PostPolicyWith(""",["content-length-range",10,100]""");
        var small = await PostAsync(SignedPostFields(policy, "uploads/small"), "small.txt", "tiny"u8.ToArray());
        Assert.Equal((HttpStatusCode.BadRequest, "EntityTooSmall"), (small.Status, small.Code));
        var large = await PostAsync(SignedPostFields(policy, "uploads/large"), "large.txt", new byte[101], chunked: true);
        Assert.Equal((HttpStatusCode.BadRequest, "EntityTooLarge"), (large.Status, large.Code));

        // Without a Content-Length (chunked, as browsers stream), the file is still held to the range; ${filename} is the file's name.
        var ok = await PostAsync(SignedPostFields(policy, "uploads/${filename}"), "report.csv", "a,b,c\n1,2,3\n"u8.ToArray(), chunked: true);
        Assert.True(ok.Status == HttpStatusCode.NoContent, ok.Text);
        using var s3 = S3Clients.Root(estate.Server);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "uploads/" });
        Assert.Equal(["uploads/report.csv"], (listed.S3Objects ?? []).Select(o => o.Key));
    }

    public sealed record BadInput(string Name, Func<S3EverydayEstate, RawRequest> Request, HttpStatusCode Status, string Code)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<BadInput> BadInputs() => new()
    {
        new("GET partNumber past the parts", e => S3Raw.Request("GET", e.Bucket, S3EverydayEstate.Existing, "partNumber=3"), HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidPartNumber"),
        new("GET partNumber 0", e => S3Raw.Request("GET", e.Bucket, S3EverydayEstate.Existing, "partNumber=0"), HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidPartNumber"),
        new("PutBucketPolicy naming another bucket", e => S3Raw.Request("PUT", e.Bucket, "", "policy").WithBody("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::another-bucket/*"}]}"""), HttpStatusCode.BadRequest, "MalformedPolicy"),
        new("GetBucketPolicyStatus without a policy", e => S3Raw.Request("GET", e.Bucket, "", "policyStatus"), HttpStatusCode.NotFound, "NoSuchBucketPolicy"),
        new("UploadPartCopy range past the source", e => S3Raw.Request("PUT", e.Bucket, "assembled", $"partNumber=2&uploadId={e.UploadId}", ("x-amz-copy-source", $"/{e.Bucket}/{S3EverydayEstate.Existing}"), ("x-amz-copy-source-range", "bytes=5-100")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("UploadPartCopy open-ended range", e => S3Raw.Request("PUT", e.Bucket, "assembled", $"partNumber=2&uploadId={e.UploadId}", ("x-amz-copy-source", $"/{e.Bucket}/{S3EverydayEstate.Existing}"), ("x-amz-copy-source-range", "bytes=5-")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("PutObject If-None-Match * on an existing key", e => S3Raw.Request("PUT", e.Bucket, S3EverydayEstate.Existing, null, ("If-None-Match", "*")).WithBody("overwrite"), HttpStatusCode.PreconditionFailed, "PreconditionFailed"),
        new("PutObject If-Match another ETag", e => S3Raw.Request("PUT", e.Bucket, S3EverydayEstate.Existing, null, ("If-Match", "\"0123456789abcdef0123456789abcdef\"")).WithBody("overwrite"), HttpStatusCode.PreconditionFailed, "PreconditionFailed"),
        new("PutObject If-Match on an absent key", e => S3Raw.Request("PUT", e.Bucket, S3EverydayEstate.Absent, null, ("If-Match", "\"0123456789abcdef0123456789abcdef\"")).WithBody("new"), HttpStatusCode.NotFound, "NoSuchKey"),
        new("PutObject If-None-Match with an ETag", e => S3Raw.Request("PUT", e.Bucket, S3EverydayEstate.Absent, null, ("If-None-Match", "\"0123456789abcdef0123456789abcdef\"")).WithBody("new"), HttpStatusCode.NotImplemented, "NotImplemented"),
        new("PutObject If-Match and If-None-Match together", e => S3Raw.Request("PUT", e.Bucket, S3EverydayEstate.Existing, null, ("If-None-Match", "*"), ("If-Match", "*")).WithBody("new"), HttpStatusCode.NotImplemented, "NotImplemented"),
        new("CompleteMultipartUpload If-None-Match * on an existing key", e => S3Raw.Request("POST", e.Bucket, S3EverydayEstate.Existing, $"uploadId={e.ExistingUploadId}", ("If-None-Match", "*")).WithBody($"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{e.ExistingPartETag}</ETag></Part></CompleteMultipartUpload>"), HttpStatusCode.PreconditionFailed, "PreconditionFailed"),
        new("GetObjectAttributes without x-amz-object-attributes", e => S3Raw.Request("GET", e.Bucket, S3EverydayEstate.Existing, "attributes"), HttpStatusCode.BadRequest, "InvalidRequest"),
        new("GetObjectAttributes with an unknown attribute", e => S3Raw.Request("GET", e.Bucket, S3EverydayEstate.Existing, "attributes", ("x-amz-object-attributes", "ETag,Colour")), HttpStatusCode.BadRequest, "InvalidArgument"),
        new("GetObjectAttributes of an absent key", e => S3Raw.Request("GET", e.Bucket, S3EverydayEstate.Absent, "attributes", ("x-amz-object-attributes", "ETag")), HttpStatusCode.NotFound, "NoSuchKey"),
        new("CompleteMultipartUpload of an unknown upload", e => S3Raw.Request("POST", e.Bucket, S3EverydayEstate.Existing, "uploadId=no-such-upload").WithBody($"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{e.ExistingPartETag}</ETag></Part></CompleteMultipartUpload>"), HttpStatusCode.NotFound, "NoSuchUpload"),
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_AnswersAwsErrorAndChangesNothing(BadInput row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var s3 = S3Clients.Root(estate.Server);
        var before = await StateAsync(s3);
        var answer = await S3Raw.SendAsync(estate.Server, row.Request(estate));
        Assert.True(answer.Status == row.Status, $"{answer.Status}: {answer.Text}");
        Assert.Equal(row.Code, answer.Code);
        Assert.Equal(before, await StateAsync(s3));
    }

    /// <summary>What a refused request must leave as it was: every version of every key, the parts of the open upload, the bucket policy.</summary>
    private async Task<string> StateAsync(IAmazonS3 s3)
    {
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = "" });
        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "assembled", UploadId = estate.UploadId });
        var existingParts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = Existing, UploadId = estate.ExistingUploadId });
        var policy = await S3Raw.SendAsync(estate.Server, S3Raw.Request("GET", Bucket, "", "policy"));
        return string.Join("\n", (versions.Versions ?? []).Select(v => $"{v.Key} {v.VersionId} {v.ETag} {v.IsLatest} {v.IsDeleteMarker}"))
            + "\nparts: " + string.Join(",", (parts.Parts ?? []).Select(p => p.PartNumber + p.ETag))
            + "\nparts of the upload to the existing key: " + string.Join(",", (existingParts.Parts ?? []).Select(p => p.PartNumber + p.ETag))
            + "\npolicy: " + (policy.Status == HttpStatusCode.OK ? policy.Text : policy.Code);
    }
}

public sealed class S3EverydayEstateOnPostgres : S3EverydayEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3EverydayTestsOnSqlite(S3EverydayEstate estate) : S3EverydayTests(estate), IClassFixture<S3EverydayEstate>;

public sealed class S3EverydayTestsOnPostgres(S3EverydayEstateOnPostgres estate) : S3EverydayTests(estate), IClassFixture<S3EverydayEstateOnPostgres>;
