using Cloudkeep.Services.S3.Logging;
using CsCheck;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>The server access log line: AWS's field order and quoting, and no value can add a field or a line.</summary>
public sealed class AccessLogRecordTests
{
    private static AccessLogRecord Minimal(string? userAgent = null, string? key = null, string? requester = null) => new()
    {
        BucketOwner = new string('a', 64),
        Bucket = "bucket",
        Time = new DateTimeOffset(2019, 2, 6, 0, 0, 38, TimeSpan.Zero),
        RequestId = "3E57427F3EXAMPLE",
        Operation = "REST.GET.VERSIONING",
        RequestUri = "GET /bucket?versioning HTTP/1.1",
        HttpStatus = 200,
        BytesSent = 113,
        TotalTimeMs = 7,
        UserAgent = userAgent,
        Key = key,
        Requester = requester,
    };

    [Fact]
    public void Format_MinimalRecord_IsAwsFieldOrderWithDashesForEmptyFields()
    {
        Assert.Equal(
            new string('a', 64) + " bucket [06/Feb/2019:00:00:38 +0000] - - 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /bucket?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"-\" - - - - - - - - -",
            Minimal().Format());
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11) \"quoted\"", "\"Mozilla/5.0 (X11) %22quoted%22\"")]
    [InlineData("line\nbreak", "\"line%0Abreak\"")]
    public void Format_UserAgent_IsQuotedWithQuotesAndControlCharactersEscaped(string agent, string expected)
    {
        Assert.Contains(" " + expected + " ", Minimal(userAgent: agent).Format(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reports/q1 summary.csv", "reports/q1%20summary.csv")]
    [InlineData("a\"b", "a%22b")]
    public void Format_Key_IsUrlEncodedKeepingSlashes(string key, string expected)
    {
        Assert.Contains(" " + expected + " ", Minimal(key: key).Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_AnyValues_AlwaysMakeOneLineOfTheSameFieldCount()
    {
        var expected = CountFields(Minimal().Format());
        Gen.String.Select(Gen.String, Gen.String).Sample((agent, key, requester) =>
        {
            var line = Minimal(agent, key, requester).Format();
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain('\r', line);
            Assert.Equal(expected, CountFields(line));
        });
    }

    /// <summary>Fields split on spaces outside quotes; quoted fields keep their spaces.</summary>
    private static int CountFields(string line)
    {
        var fields = 0;
        var quoted = false;
        foreach (var part in line.Split(' '))
        {
            if (!quoted)
            {
                fields++;
            }

            quoted ^= part.Count(c => c == '"') % 2 == 1;
        }

        return fields;
    }

    [Theory]
    [InlineData("GET", "GetObject", false, "REST.GET.OBJECT")]
    [InlineData("PUT", "PutBucketVersioning", false, "REST.PUT.VERSIONING")]
    [InlineData("POST", "DeleteObjects", false, "REST.POST.MULTI_OBJECT_DELETE")]
    [InlineData("PUT", "CopyObject", false, "REST.COPY.OBJECT")]
    [InlineData("POST", "PutObject", true, "REST.POST.UPLOAD")]
    [InlineData("GET", "ListObjectsV2", false, "REST.GET.BUCKET")]
    [InlineData("GET", null, false, "REST.GET.UNKNOWN")]
    public void OperationName_IsS3sRestName(string method, string? operation, bool postUpload, string expected)
    {
        Assert.Equal(expected, AccessLogOperations.Name(method, operation, postUpload));
    }
}
