using System.Security.Cryptography;
using Cloudkeep.Testing;

namespace Cloudkeep.Admin.Tests;

/// <summary>The encrypted envelope: what it returns intact, and every way of damaging it refused by name.</summary>
public sealed class ArchiveStreamsTests : IDisposable
{
    private readonly TempDirectory _work = new("cloudkeep-archive-");

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ArchiveStreams.ChunkSize)]
    [InlineData(ArchiveStreams.ChunkSize + 1)]
    [InlineData((3 * ArchiveStreams.ChunkSize) - 7)]
    public void RoundTrip_AnyLengthAroundChunkBoundaries_ReturnsTheBytes(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var key = KeyFile();

        var sealedBytes = Seal(plain, key);

        Assert.Equal(plain, Open(sealedBytes, key));
    }

    [Fact]
    public void Open_OneByteChangedAnywhere_IsRefused()
    {
        var key = KeyFile();
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes((2 * ArchiveStreams.ChunkSize) + 100), key);
        foreach (var position in new[] { 20, 200, ArchiveStreams.ChunkSize, sealedBytes.Length - 1 })
        {
            var altered = (byte[])sealedBytes.Clone();
            altered[position] ^= 0x01;

            Assert.Throws<ArchiveException>(() => Open(altered, key));
        }
    }

    [Fact]
    public void Open_CutAtAChunkBoundaryOrInside_IsRefusedAsTruncated()
    {
        var key = KeyFile();
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes((2 * ArchiveStreams.ChunkSize) + 100), key);
        var header = sealedBytes.Length - ((2 * ArchiveStreams.ChunkSize) + 100) - (3 * 16);
        foreach (var length in new[] { header + ArchiveStreams.ChunkSize + 16, header + (2 * (ArchiveStreams.ChunkSize + 16)), sealedBytes.Length - 1, header + 5 })
        {
            var error = Assert.Throws<ArchiveException>(() => Open(sealedBytes[..length], key));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Open_WithAnotherKeyFileOrAPassphrase_IsRefusedAsTheWrongKey()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes(1000), KeyFile());

        Assert.Contains("is not the one this archive was encrypted to", Assert.Throws<ArchiveException>(() => Open(sealedBytes, KeyFile())).Message, StringComparison.Ordinal);
        Assert.Contains("encrypted to a key-file, not to the passphrase given", Assert.Throws<ArchiveException>(() => Open(sealedBytes, Passphrase("correct horse battery staple"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passphrase_RoundTrip_AndAnotherPassphraseRefused()
    {
        var plain = RandomNumberGenerator.GetBytes(5000);
        var sealedBytes = Seal(plain, Passphrase("correct horse battery staple"));

        Assert.Equal(plain, Open(sealedBytes, Passphrase("correct horse battery staple")));
        Assert.Throws<ArchiveException>(() => Open(sealedBytes, Passphrase("correct horse battery stapler")));
    }

    [Theory]
    [InlineData("bm90IDMyIGJ5dGVz")]
    [InlineData("not base64 at all!")]
    public void KeyFile_NotThirtyTwoBytesOfBase64_IsRefused(string contents)
    {
        var path = Path.Combine(_work.Path, "bad.key");
        File.WriteAllText(path, contents);

        Assert.Contains("base64 of 32 random bytes", Assert.Throws<ArchiveException>(() => ArchiveKey.FromKeyFile(path)).Message, StringComparison.Ordinal);
    }

    private ArchiveKey KeyFile()
    {
        var path = Path.Combine(_work.Path, Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        return ArchiveKey.FromKeyFile(path);
    }

    private ArchiveKey Passphrase(string phrase)
    {
        var path = Path.Combine(_work.Path, Guid.NewGuid().ToString("N") + ".pass");
        File.WriteAllText(path, phrase + "\n");
        return ArchiveKey.FromPassphraseFile(path);
    }

    private static byte[] Seal(byte[] plain, ArchiveKey key)
    {
        using var output = new MemoryStream();
        using (var encrypting = ArchiveStreams.OpenWrite(output, key, DateTimeOffset.UnixEpoch))
        {
            // Written in odd pieces, so chunking does not depend on how the caller writes.
            for (var offset = 0; offset < plain.Length; offset += 77_777)
            {
                encrypting.Write(plain, offset, Math.Min(77_777, plain.Length - offset));
            }
        }

        return output.ToArray();
    }

    private static byte[] Open(byte[] sealedBytes, ArchiveKey key)
    {
        using var decrypting = ArchiveStreams.OpenRead(new MemoryStream(sealedBytes), key);
        using var plain = new MemoryStream();
        decrypting.CopyTo(plain);
        return plain.ToArray();
    }
}
