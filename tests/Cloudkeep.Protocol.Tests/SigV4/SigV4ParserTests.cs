using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.SigV4;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.SigV4;

public class SigV4ParserTests
{
    private const string Good = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private static SimpleSignableRequest Request(string? authorization, string amzDate = "20150830T123600Z", string query = "")
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "iam.amazonaws.com"), new("X-Amz-Date", amzDate) };
        if (authorization is not null)
        {
            headers.Add(new("Authorization", authorization));
        }

        return new SimpleSignableRequest("GET", "/", query, headers);
    }

    [Fact]
    public void ParseHeader_WellFormed_ReadsEveryField()
    {
        var signature = SigV4Parser.ParseHeader(Request(Good), s3: false);
        Assert.Equal("AKIDEXAMPLE", signature.Credential.AccessKeyId);
        Assert.Equal("iam", signature.Credential.Service);
        Assert.Equal(["host", "x-amz-date"], signature.SignedHeaders);
        Assert.Equal(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero), signature.RequestTime);
    }

    public static TheoryData<string, string, bool, string> BadHeaders() => new()
    {
        { "missing credential", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", false, "IncompleteSignature" },
        { "missing signature", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host", false, "IncompleteSignature" },
        { "missing signed headers", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", false, "IncompleteSignature" },
        { "unknown algorithm", "AWS4-HMAC-SHA512 Credential=a", false, "IncompleteSignature" },
        { "sigv2", "AWS AKIDEXAMPLE:abc", true, "InvalidRequest" },
        { "sigv2 query service", "AWS AKIDEXAMPLE:abc", false, "IncompleteSignature" },
        { "short credential", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", false, "IncompleteSignature" },
        { "bad terminator", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", true, "AuthorizationHeaderMalformed" },
        { "short signature", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc", false, "SignatureDoesNotMatch" },
        { "upper-case signed header", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=Host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", false, "IncompleteSignature" },
        { "no equals", "AWS4-HMAC-SHA256 Credential", false, "IncompleteSignature" },
        { "scope date differs", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", false, "SignatureDoesNotMatch" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void ParseHeader_Malformed_ThrowsAwsError(string why, string header, bool s3, string code)
    {
        var error = Assert.Throws<AwsException>(() => SigV4Parser.ParseHeader(Request(header), s3));
        Assert.True(code == error.Code, $"{why}: expected {code}, got {error.Code} ({error.Message})");
    }

    [Theory]
    [InlineData("yesterday", false, "IncompleteSignature")]
    [InlineData("2015-08-30T12:36:00Z", false, "IncompleteSignature")]
    [InlineData("99999999T999999Z", true, "AccessDenied")]
    public void ParseHeader_GarbageDate_ThrowsAwsError(string date, bool s3, string code)
    {
        var error = Assert.Throws<AwsException>(() => SigV4Parser.ParseHeader(Request(Good, date), s3));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void ParsePresigned_ExpiresOverAWeek_ThrowsAuthorizationQueryParametersError()
    {
        var query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        var error = Assert.Throws<AwsException>(() => SigV4Parser.ParsePresigned(Request(null, query: query), s3: true));
        Assert.Equal("AuthorizationQueryParametersError", error.Code);
    }

    [Fact]
    public void ParsePresigned_MissingExpiresForS3_ThrowsAuthorizationQueryParametersError()
    {
        var query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        var error = Assert.Throws<AwsException>(() => SigV4Parser.ParsePresigned(Request(null, query: query), s3: true));
        Assert.Equal("AuthorizationQueryParametersError", error.Code);
    }

    [Theory]
    [InlineData(-16, true)]
    [InlineData(-14, false)]
    [InlineData(14, false)]
    [InlineData(16, true)]
    public void CheckTime_HeaderSigned_RejectsOver15MinutesSkew(int minutes, bool rejected)
    {
        var signature = SigV4Parser.ParseHeader(Request(Good), s3: false);
        var now = signature.RequestTime.AddMinutes(-minutes);
        var call = () => SigV4Verifier.CheckTime(signature, now, s3: false);
        if (rejected)
        {
            Assert.Equal("RequestTimeTooSkewed", Assert.Throws<AwsException>(call).Code);
        }
        else
        {
            call();
        }
    }

    [Fact]
    public void CheckTime_PresignedPastExpiry_ThrowsRequestHasExpired()
    {
        var query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        var signature = SigV4Parser.ParsePresigned(Request(null, query: query), s3: true);
        SigV4Verifier.CheckTime(signature, signature.RequestTime.AddSeconds(59), s3: true);
        var error = Assert.Throws<AwsException>(() => SigV4Verifier.CheckTime(signature, signature.RequestTime.AddSeconds(61), s3: true));
        Assert.Equal(("AccessDenied", "Request has expired"), (error.Code, error.Message));
    }

    /// <summary>Fuzz: any Authorization header, however mangled, parses or fails with an AWS error; nothing else escapes.</summary>
    [Fact]
    public void ParseHeader_ArbitraryInput_OnlyEverThrowsAwsException()
    {
        var fragments = Gen.OneOf("AWS4-HMAC-SHA256 ", "Credential=", "SignedHeaders=", "Signature=", ",", "/", "=", " ", ";",
            "AKIDEXAMPLE", "20150830", "us-east-1", "aws4_request", "host", "\0", "\u00e9", "\ud800", "%", "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        var header = Gen.OneOf(fragments.Array[0, 30].Select(string.Concat), Gen.String);
        header.Sample(value =>
        {
            foreach (var s3 in new[] { true, false })
            {
                try
                {
                    SigV4Parser.ParseHeader(Request(value), s3);
                }
                catch (AwsException)
                {
                    // The expected outcome for garbage.
                }
            }
        }, iter: 5000);
    }

    [Fact]
    public void ParsePresigned_ArbitraryQuery_OnlyEverThrowsAwsException()
    {
        var fragments = Gen.OneOf("X-Amz-Algorithm=", "X-Amz-Credential=", "X-Amz-Date=", "X-Amz-Expires=", "X-Amz-SignedHeaders=", "X-Amz-Signature=",
            "&", "=", "%2F", "%", "%zz", "AWS4-HMAC-SHA256", "20150830T123600Z", "99999999999", "-1", "host");
        fragments.Array[0, 30].Select(string.Concat).Sample(value =>
        {
            try
            {
                SigV4Parser.ParsePresigned(Request(null, query: value), s3: true);
            }
            catch (AwsException)
            {
                // The expected outcome for garbage.
            }
        }, iter: 5000);
    }
}
