using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Crypto;
using CsCheck;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>
/// The sealing of secrets at rest (and of every object's data key): each box keeps one cipher context per
/// thread, so boxes used in turn on one thread, and one box on many threads, must each still seal and open
/// only under their own key and purpose.
/// </summary>
public sealed class SecretBoxTests
{
    [Fact]
    public void TwoBoxes_UsedInTurnOnOneThread_EachOpensOnlyItsOwn()
    {
        var first = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeySize));
        var second = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeySize));
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool, Gen.String[0, 300]).Sample((plaintext, firstSeals, purpose) =>
        {
            var (sealer, other) = firstSeals ? (first, second) : (second, first);
            var sealedValue = sealer.Seal(plaintext, purpose);
            Assert.Throws<AuthenticationTagMismatchException>(() => other.Open(sealedValue, purpose));
            Assert.Equal(plaintext, sealer.Open(sealedValue, purpose));
            Assert.Throws<AuthenticationTagMismatchException>(() => sealer.Open(sealedValue, purpose + "x"));
        });
    }

    [Fact]
    public void OneBox_ManyThreads_RoundTrips()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeySize));
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var plaintext = Encoding.UTF8.GetBytes($"secret {i}");
            Assert.Equal(plaintext, box.Open(box.Seal(plaintext, $"purpose {i % 7}"), $"purpose {i % 7}"));
        });
    }

    [Fact]
    public void LongPurpose_BeyondTheStackScratch_StillBound()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeySize));
        var purpose = new string('é', 400);
        var sealedValue = box.SealString("value", purpose);
        Assert.Equal("value", box.OpenString(sealedValue, purpose));
        Assert.ThrowsAny<CryptographicException>(() => box.OpenString(sealedValue, purpose[1..]));
    }
}
