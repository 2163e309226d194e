using Cloudkeep.Protocol.Http;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.Http;

public class CopySourceHeaderTests
{
    [Theory]
    [InlineData("src/a.txt", "src", "a.txt", null)]
    [InlineData("/src/a.txt", "src", "a.txt", null)]
    [InlineData("src/dir/a.txt", "src", "dir/a.txt", null)]
    [InlineData("src%2Fdir%2Fa.txt", "src", "dir/a.txt", null)]
    [InlineData("src/what%3F.txt", "src", "what?.txt", null)]
    [InlineData("src/sp%20ace+plus", "src", "sp ace+plus", null)]
    [InlineData("src/a.txt?versionId=3HL4kqtJlcpXroDTDmJ", "src", "a.txt", "3HL4kqtJlcpXroDTDmJ")]
    [InlineData("/src/a.txt?other=1&versionId=v%2B1", "src", "a.txt", "v+1")]
    [InlineData("src/a.txt?other=1", "src", "a.txt", null)]
    public void TryParse_BucketAndKey_DecodesThem(string header, string bucket, string key, string? versionId)
    {
        Assert.True(CopySourceHeader.TryParse(header, out var source));
        Assert.Equal(new CopySourceHeader(bucket, key, versionId), source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("src")]
    [InlineData("src/")]
    [InlineData("/src/")]
    [InlineData("//a.txt")]
    [InlineData("?versionId=1")]
    [InlineData("src?versionId=1/a.txt")]
    public void TryParse_WithoutBucketOrKey_IsFalse(string header) => Assert.False(CopySourceHeader.TryParse(header, out _));

    [Fact]
    public void TryParse_AnyEncodedBucketAndKey_ReadsThemBack()
    {
        var bucket = Gen.Char["abc.-1"].Array[3, 20].Select(c => new string(c));
        var key = Gen.Char.AlphaNumeric.Array[1, 30].Select(c => new string(c) + "/?&= %€");
        Gen.Select(bucket, key, Gen.Bool).Sample((b, k, slash) =>
        {
            var header = (slash ? "/" : "") + b + "/" + Uri.EscapeDataString(k);
            Assert.True(CopySourceHeader.TryParse(header, out var source));
            Assert.Equal(new CopySourceHeader(b, k, null), source);
        });
    }
}
