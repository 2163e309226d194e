using System.Security.Cryptography;
using Cloudkeep.Services.Kms;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>The ciphertext blob format: round trip, header, and every single changed byte refused.</summary>
public sealed class KmsCiphertextTests
{
    private static readonly Guid KeyId = Guid.Parse("1234abcd-12ab-34cd-56ef-1234567890ab");
    private static readonly byte[] Material = RandomNumberGenerator.GetBytes(KmsCiphertext.MaterialSize);
    private static readonly Dictionary<string, string> Context = new() { ["Department"] = "10", ["Purpose"] = "Test" };

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    public void SealOpen_AnyLength_RoundTrips(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var blob = KmsCiphertext.Seal(KeyId, 3, Material, plaintext, Context);
        Assert.Equal(KmsCiphertext.Overhead + length, blob.Length);
        Assert.True(KmsCiphertext.TryOpen(blob, Material, Context, out var opened));
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Header_OfSealedBlob_NamesKeyAndMaterialVersion()
    {
        var blob = KmsCiphertext.Seal(KeyId, 7, Material, [1, 2, 3], null);
        Assert.True(KmsCiphertext.TryReadHeader(blob, out var keyId, out var version));
        Assert.Equal(KeyId, keyId);
        Assert.Equal(7, version);
        Assert.Equal(KmsCiphertext.FormatVersion, blob[0]);
    }

    [Fact]
    public void Seal_SamePlaintextTwice_GivesDifferentBlobs()
    {
        var first = KmsCiphertext.Seal(KeyId, 1, Material, [1, 2, 3], null);
        var second = KmsCiphertext.Seal(KeyId, 1, Material, [1, 2, 3], null);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Open_EveryByteChanged_IsRefused()
    {
        var blob = KmsCiphertext.Seal(KeyId, 1, Material, RandomNumberGenerator.GetBytes(32), Context);
        for (var i = 0; i < blob.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var tampered = (byte[])blob.Clone();
                tampered[i] ^= flip;
                Assert.False(KmsCiphertext.TryOpen(tampered, Material, Context, out _), $"byte {i} ^ {flip:x2} was accepted");
            }
        }
    }

    [Fact]
    public void Open_TruncatedOrExtended_IsRefused()
    {
        var blob = KmsCiphertext.Seal(KeyId, 1, Material, [1, 2, 3, 4], null);
        for (var length = 0; length < blob.Length; length++)
        {
            Assert.False(KmsCiphertext.TryOpen(blob.AsSpan(0, length), Material, null, out _), $"length {length} was accepted");
        }

        Assert.False(KmsCiphertext.TryOpen([.. blob, 0], Material, null, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Department=11")]
    [InlineData("Department=10")]
    [InlineData("Department=10,Purpose=Test,Extra=1")]
    [InlineData("department=10,Purpose=Test")]
    public void Open_OtherEncryptionContext_IsRefused(string? context)
    {
        var blob = KmsCiphertext.Seal(KeyId, 1, Material, [1, 2, 3], Context);
        var other = context?.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.False(KmsCiphertext.TryOpen(blob, Material, other, out _));
    }

    [Fact]
    public void Open_ContextInAnotherOrder_IsAccepted()
    {
        var blob = KmsCiphertext.Seal(KeyId, 1, Material, [9], Context);
        var reordered = new Dictionary<string, string> { ["Purpose"] = "Test", ["Department"] = "10" };
        Assert.True(KmsCiphertext.TryOpen(blob, Material, reordered, out var opened));
        Assert.Equal(new byte[] { 9 }, opened);
    }

    [Fact]
    public void Open_OtherMaterial_IsRefused()
    {
        var blob = KmsCiphertext.Seal(KeyId, 1, Material, [1, 2, 3], null);
        Assert.False(KmsCiphertext.TryOpen(blob, RandomNumberGenerator.GetBytes(32), null, out _));
    }

    [Fact]
    public void Canonical_AmbiguousSplits_EncodeDifferently()
    {
        var a = KmsEncryptionContext.Canonical(new Dictionary<string, string> { ["ab"] = "c" });
        var b = KmsEncryptionContext.Canonical(new Dictionary<string, string> { ["a"] = "bc" });
        Assert.NotEqual(a, b);
        Assert.Empty(KmsEncryptionContext.Canonical(new Dictionary<string, string>()));
    }
}
