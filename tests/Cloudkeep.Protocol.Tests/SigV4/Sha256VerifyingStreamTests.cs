using System.Security.Cryptography;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Protocol.Tests.SigV4;

public class Sha256VerifyingStreamTests
{
    [Fact]
    public async Task Read_MatchingHash_PassesBodyThrough()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        await using var stream = new Sha256VerifyingStream(new MemoryStream(data), Convert.ToHexStringLower(SHA256.HashData(data)));
        using var output = new MemoryStream();
        await stream.CopyToAsync(output);
        Assert.Equal(data, output.ToArray());
    }

    [Fact]
    public async Task Read_DifferentBody_FailsAtEndWithXAmzContentSHA256Mismatch()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        await using var stream = new Sha256VerifyingStream(new MemoryStream(data), SigV4Constants.EmptySha256);
        var error = await Assert.ThrowsAsync<AwsException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Equal("XAmzContentSHA256Mismatch", error.Code);
    }
}
