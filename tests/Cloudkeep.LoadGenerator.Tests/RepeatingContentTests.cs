using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class RepeatingContentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(21)]
    public async Task CopyTo_Length_WritesExactlyTheBlockRepeated(long length)
    {
        byte[] block = [1, 2, 3, 4, 5, 6, 7, 8];
        using var content = new RepeatingContent(block, length);
        using var output = new MemoryStream();

        await content.CopyToAsync(output);

        Assert.Equal(length, content.Headers.ContentLength);
        Assert.Equal(Enumerable.Range(0, (int)length).Select(i => block[i % block.Length]), output.ToArray());
    }

    [Fact]
    public void Constructor_EmptyBlock_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepeatingContent([], 10));
}
