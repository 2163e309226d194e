using Cloudkeep.Protocol.Http;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.Http;

public class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 0L, 9L)]
    [InlineData("bytes=90-", 90L, null)]
    [InlineData("bytes=-10", null, 10L)]
    [InlineData("bytes=-0", null, 0L)]
    [InlineData("BYTES=5-5", 5L, 5L)]
    [InlineData("bytes= 3-4 ", 3L, 4L)]
    [InlineData("bytes=50-1000", 50L, 1000L)]
    public void TryParse_SingleRange_ReadsFirstAndLast(string header, long? first, long? last)
    {
        Assert.True(ByteRange.TryParse(header, out var range));
        Assert.Equal(new ByteRange(first, last), range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bytes=")]
    [InlineData("bytes=-")]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=9-0")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=a-9")]
    [InlineData("bytes=0-b")]
    [InlineData("bytes=+1-2")]
    [InlineData("bytes=1 -2")]
    [InlineData("bytes=--5")]
    [InlineData("bytes=99999999999999999999-")]
    public void TryParse_NotASingleByteRange_IsFalse(string header) => Assert.False(ByteRange.TryParse(header, out _));

    [Fact]
    public void TryParse_AnyRangeItFormats_ReadsItBack()
    {
        var bound = Gen.Long[0, long.MaxValue];
        var ranges = Gen.OneOf(
            bound.Select(suffix => new ByteRange(null, suffix)),
            bound.Select(first => new ByteRange(first, null)),
            Gen.Select(bound, bound).Select((a, b) => new ByteRange(Math.Min(a, b), Math.Max(a, b))));
        ranges.Sample(range =>
        {
            Assert.True(ByteRange.TryParse(range.ToString(), out var read));
            Assert.Equal(range, read);
        });
    }

    [Fact]
    public void TryParse_AnyText_NeverThrows() =>
        Gen.OneOf(Gen.String, Gen.Char["bytes=-0123456789, "].Array[0, 20].Select(c => new string(c)))
            .Sample(text =>
            {
                // Sample reads a bool-returning body as the property itself, so the answer is discarded.
                _ = ByteRange.TryParse(text, out _);
            });
}
