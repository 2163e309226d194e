using System.Text;
using Cloudkeep.Core.Errors;
using Cloudkeep.Services.S3;
using Cloudkeep.Storage.Metadata;
using CsCheck;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>The pure parts of S3: names, ranges, key-order bounds, public-policy detection, POST policies, CORS matching, checksums.</summary>
public sealed class S3PureLogicTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("digitalmarketplace-documents-production-production", true)]
    [InlineData("my.bucket.name", true)]
    [InlineData("a", false)]
    [InlineData("Capital", false)]
    [InlineData("has_underscore", false)]
    [InlineData(".leading-dot", false)]
    [InlineData("trailing-dot.", false)]
    [InlineData("two..dots", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("sthree-bucket", false)]
    [InlineData("amzn-s3-demo-bucket", false)]
    [InlineData("bucket--ol-s3", false)]
    [InlineData("bucket.mrap", false)]
    public void BucketNames_IsValid_FollowsTheNamingRules(string name, bool valid) => Assert.Equal(valid, BucketNames.IsValid(name));

    [Fact]
    public void BucketNames_AnyStringOfAllowedCharacters_ValidExactlyWhenTheRulesSay()
    {
        Gen.Char["abc.-1"].Array[1, 70].Select(c => new string(c)).Sample(name =>
        {
            var expected = name.Length is >= 3 and <= 63 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..", StringComparison.Ordinal);
            Assert.Equal(expected, BucketNames.IsValid(name));
        });
    }

    [Theory]
    [InlineData("bytes=0-9", 100, 0L, 10L)]
    [InlineData("bytes=90-", 100, 90L, 10L)]
    [InlineData("bytes=-10", 100, 90L, 10L)]
    [InlineData("bytes=-1000", 100, 0L, 100L)]
    [InlineData("bytes=50-1000", 100, 50L, 50L)]
    public void ParseRange_Satisfiable_GivesOffsetAndLength(string header, long size, long offset, long length) =>
        Assert.Equal((offset, length), ParseRange(header, size));

    [Theory]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=9-0")]
    [InlineData("bytes=abc")]
    public void ParseRange_NotASingleByteRange_IsIgnored(string header) => Assert.Null(ParseRange(header, 100));

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    public void ParseRange_Unsatisfiable_IsInvalidRange(string header) =>
        Assert.Equal("InvalidRange", Assert.Throws<AwsException>(() => ParseRange(header, 100)).Code);

    /// <summary>A Range header as a GetObject sees it: read by the decode step's grammar, then applied to the object.</summary>
    private static (long Offset, long Length)? ParseRange(string header, long size) =>
        Cloudkeep.Protocol.Http.HeaderGrammars.Read("Range", header) is System.Text.Json.Nodes.JsonObject range ? ObjectReads.ByteRangeOf(range, size) : null;

    [Fact]
    public void ParseRange_AnySatisfiableRange_StaysWithinTheObject()
    {
        Gen.Select(Gen.Long[1, 1_000_000], Gen.Long[0, 2_000_000], Gen.Long[0, 2_000_000]).Sample((size, a, b) =>
        {
            var (first, last) = (Math.Min(a, b), Math.Max(a, b));
            if (first >= size)
            {
                return;
            }

            var (offset, length) = ParseRange($"bytes={first}-{last}", size)!.Value;
            Assert.Equal(first, offset);
            Assert.True(length >= 1 && offset + length <= size);
        });
    }

    [Fact]
    public void PrefixUpperBound_IsAboveEveryKeyWithThePrefix_InUtf8ByteOrder()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.String[Gen.Char.AlphaNumeric, 0, 8]).Sample((prefix, rest) =>
        {
            var bound = S3Repository.PrefixUpperBound(prefix)!;
            var key = Encoding.UTF8.GetBytes(prefix + rest + "\uffff");
            Assert.True(((ReadOnlySpan<byte>)key).SequenceCompareTo(Encoding.UTF8.GetBytes(bound)) < 0);
        });
        Assert.Null(S3Repository.PrefixUpperBound(""));
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", true)]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}""", false)]
    public void PublicPolicies_IsPublic_AsTheS3UserGuideDefinesIt(string policy, bool expected) => Assert.Equal(expected, PublicPolicies.IsPublic(policy));

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private const string Policy = """{"expiration":"2026-11-22T13:00:00Z","conditions":[{"bucket":"backups"},["starts-with","$key","nightly/"],{"x-amz-credential":"AKIA/20261122/eu-west-1/s3/aws4_request"},["content-length-range",1,1024]]}""";

    private static Dictionary<string, string> Fields(string key = "nightly/x") => new(StringComparer.OrdinalIgnoreCase)
    {
        ["key"] = key,
        ["x-amz-credential"] = "AKIA/20261122/eu-west-1/s3/aws4_request",
        ["policy"] = "...",
        ["x-amz-signature"] = "...",
    };

    [Fact]
    public void PostPolicy_FieldsWithinTheConditions_GiveTheLengthRange() =>
        Assert.Equal((1L, 1024L), PostPolicy.Check(Policy, Fields(), "backups", Now));

    [Theory]
    [InlineData("elsewhere/x", "backups", 0, "Policy Condition failed")]
    [InlineData("nightly/x", "other-bucket", 0, "Policy Condition failed")]
    [InlineData("nightly/x", "backups", 2, "Policy expired")]
    public void PostPolicy_Violations_AreAccessDeniedWithS3sMessage(string key, string bucket, int hoursLater, string message)
    {
        var error = Assert.Throws<AwsException>(() => PostPolicy.Check(Policy, Fields(key), bucket, Now.AddHours(hoursLater)));
        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[["content-length-range","a","b"]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[["content-length-range",1e30,2]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[["content-length-range",1.5,2]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[["content-length-range",-1,2]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[["starts-with",1,2]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[[1,"$key","x"]]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[{"key":1}]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":[{"key":"\ud800"}]}""")]
    [InlineData("""{"expiration":"2026-11-22T13:00:00Z","conditions":"all"}""")]
    [InlineData("""{"expiration":12,"conditions":[]}""")]
    public void PostPolicy_Malformed_IsInvalidPolicyDocument(string policy)
    {
        var error = Assert.Throws<AwsException>(() => PostPolicy.Check(policy, Fields(), "backups", Now));
        Assert.Equal("InvalidPolicyDocument", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.StartsWith("Invalid Policy:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostPolicy_AFieldNoConditionNames_IsAnExtraInputField()
    {
        var fields = Fields();
        fields["Content-Type"] = "text/html";
        fields["x-ignore-tracking"] = "1";
        var error = Assert.Throws<AwsException>(() => PostPolicy.Check(Policy, fields, "backups", Now));
        Assert.Contains("Extra input fields: Content-Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cors_Match_FirstRuleAllowingOriginMethodAndHeaders()
    {
        var rules = System.Text.Json.Nodes.JsonNode.Parse("""
            {"CORSRules":[
              {"AllowedOrigins":["https://*.example.org"],"AllowedMethods":["GET"],"AllowedHeaders":["x-*"]},
              {"AllowedOrigins":["*"],"AllowedMethods":["PUT"],"ExposeHeaders":["ETag"]}]}
            """);
        Assert.NotNull(S3Cors.Match(rules, "https://app.example.org", "GET", ["X-Custom"]));
        Assert.Null(S3Cors.Match(rules, "https://app.example.org", "GET", ["Authorization"]));
        Assert.Null(S3Cors.Match(rules, "https://example.com", "GET", []));
        var put = S3Cors.Match(rules, "https://example.com", "PUT", [])!;
        Assert.Contains(Cloudkeep.Protocol.Http.CorsResponseHeaders.For(Cloudkeep.Server.Pipeline.S3CorsResponder.RuleOf(put), "https://example.com", [], preflight: false), h => h.Key == "Access-Control-Expose-Headers" && h.Value == "ETag");
    }

    [Theory]
    [InlineData("CRC32", "hello world", "DUoRhQ==")]
    [InlineData("CRC32C", "hello world", "yZRlqg==")]
    [InlineData("SHA1", "hello world", "Kq5sNclPz7QV2+lfQIuc6R7oRu0=")]
    [InlineData("SHA256", "hello world", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")]
    [InlineData("SHA512", "hello world", "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")]
    [InlineData("MD5", "hello world", "XrY7u+Ae7tCTyyK7j1rNww==")]
    [InlineData("CRC64NVME", "123456789", "rosUhgp5mIg=")] // the CRC catalogue's check value 0xAE8B14860A799888
    [InlineData("CRC64NVME", "", "AAAAAAAAAAA=")]
    [InlineData("XXHASH64", "hello world", "RatnNLIeaWg=")] // 0x45ab6734b21e6968, as the JavaScript SDK's Xxh64 gives it
    [InlineData("XXHASH3", "hello world", "1Eex6kDmmIs=")] // 0xd447b1ea40e6988b
    [InlineData("XXHASH128", "hello world", "340J6T+HSQCpm4d1zBW2xw==")] // df8d09e93f874900a99b8775cc15b6c7
    public void Checksums_KnownValues_MatchWhatAwsComputes(string algorithm, string text, string expected) =>
        Assert.Equal(expected, S3Checksums.Compute(algorithm, Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    public void CombineFullObject_PartsCrcs_GiveTheCrcOfTheWholeData(string algorithm)
    {
        Gen.Byte.Array[0, 300].Array[1, 5].Sample(parts =>
        {
            var whole = S3Checksums.Compute(algorithm, parts.SelectMany(p => p).ToArray());
            var combined = S3Checksums.CombineFullObject(algorithm, [.. parts.Select(p => (S3Checksums.Compute(algorithm, p), (long)p.Length))]);
            return whole == combined;
        });
    }
}
