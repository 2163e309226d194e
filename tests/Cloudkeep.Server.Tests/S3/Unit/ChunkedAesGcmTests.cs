using System.Security.Cryptography;
using Cloudkeep.Core.Crypto;
using CsCheck;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>The chunked AES-256-GCM construction behind SSE-S3: round trips, ranges, and every kind of tampering detected.</summary>
public sealed class ChunkedAesGcmTests
{
    private const int Chunk = ChunkedAesGcm.ChunkSize;
    private const string Context = "bucket/key";
    private static readonly SecretBox MasterKey = new(RandomNumberGenerator.GetBytes(SecretBox.KeySize));

    private static byte[] Encrypt(byte[] plaintext, string context = Context)
    {
        using var encrypting = ChunkedAesGcm.Encrypt(MasterKey, context, new MemoryStream(plaintext));
        using var stored = new MemoryStream();
        encrypting.CopyTo(stored, 7000);
        Assert.Equal(plaintext.Length, encrypting.PlaintextLength);
        Assert.Equal(MD5.HashData(plaintext), encrypting.PlaintextMd5);
        return stored.ToArray();
    }

    private static byte[] Decrypt(byte[] stored, long plaintextLength, long offset, long length, string context = Context)
    {
        using var decrypting = ChunkedAesGcm.DecryptRange(MasterKey, context, new MemoryStream(stored, writable: false), plaintextLength, offset, length);
        using var plain = new MemoryStream();
        decrypting.CopyTo(plain, 5000);
        return plain.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((5 * Chunk) + 17)]
    [InlineData(6 * Chunk)]
    public void RoundTrip_AtChunkBoundaries_GivesThePlaintextBack(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var stored = Encrypt(plaintext);

        Assert.Equal(ChunkedAesGcm.StoredLength(size), stored.Length);
        Assert.Equal(plaintext, Decrypt(stored, size, 0, size));
        Assert.Equal(plaintext, Decrypt(ChunkedAesGcm.EncryptBytes(MasterKey, Context, plaintext), size, 0, size));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_GivesDifferentStoredBytesNeverThePlaintext()
    {
        var plaintext = new byte[3 * Chunk];
        Array.Fill(plaintext, (byte)'A');
        var first = Encrypt(plaintext);
        var second = Encrypt(plaintext);

        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf(plaintext.AsSpan(0, 64)));
    }

    [Fact]
    public void DecryptRange_AnyRange_IsThatSliceOfThePlaintext()
    {
        Gen.Int[0, (4 * Chunk) + 5].SelectMany(size => Gen.Int[0, size].SelectMany(offset => Gen.Int[0, size - offset].Select(length => (size, offset, length))))
            .Sample(
                t =>
                {
                    var plaintext = new byte[t.size];
                    new Random(t.size).NextBytes(plaintext);
                    var stored = Encrypt(plaintext);
                    return Decrypt(stored, t.size, t.offset, t.length).AsSpan().SequenceEqual(plaintext.AsSpan(t.offset, t.length));
                },
                iter: 60);
    }

    [Fact]
    public void Decrypt_AnyFlippedByte_FailsInsteadOfAnsweringData()
    {
        var plaintext = RandomNumberGenerator.GetBytes((2 * Chunk) + 100);
        var stored = Encrypt(plaintext);
        Gen.Int[0, stored.Length - 1].Sample(
            position =>
            {
                var tampered = (byte[])stored.Clone();
                tampered[position] ^= 0x01;
                return Throws(() => Decrypt(tampered, plaintext.Length, 0, plaintext.Length));
            },
            iter: 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decrypt_TruncatedAtAChunkBoundary_IsDetected(int keptChunks)
    {
        var plaintext = RandomNumberGenerator.GetBytes((3 * Chunk) + 10);
        var stored = Encrypt(plaintext);
        var cut = stored[..(ChunkedAesGcm.HeaderSize + (keptChunks * (Chunk + ChunkedAesGcm.TagSize)))];

        // Whether the length is the stored one or a shorter one matching the cut (a row rewritten to
        // fit), the chunk flagged final is missing.
        Assert.Throws<InvalidDataException>(() => Decrypt(cut, plaintext.Length, 0, plaintext.Length));
        var shorter = (keptChunks * Chunk) - ChunkedAesGcm.TagSize;
        Assert.Throws<InvalidDataException>(() => Decrypt(cut, shorter, 0, shorter));
    }

    [Fact]
    public void Decrypt_ChunksSwapped_IsDetected()
    {
        var plaintext = RandomNumberGenerator.GetBytes(3 * Chunk);
        var stored = Encrypt(plaintext);
        var swapped = (byte[])stored.Clone();
        var first = ChunkedAesGcm.HeaderSize;
        var second = first + Chunk + ChunkedAesGcm.TagSize;
        stored.AsSpan(second, Chunk + ChunkedAesGcm.TagSize).CopyTo(swapped.AsSpan(first));
        stored.AsSpan(first, Chunk + ChunkedAesGcm.TagSize).CopyTo(swapped.AsSpan(second));

        Assert.Throws<InvalidDataException>(() => Decrypt(swapped, plaintext.Length, 0, plaintext.Length));
    }

    [Fact]
    public void Decrypt_AnotherObjectsContext_IsDetected()
    {
        var stored = Encrypt([1, 2, 3]);

        Assert.Throws<InvalidDataException>(() => Decrypt(stored, 3, 0, 3, "bucket/other-key"));
    }

    [Fact]
    public void Decrypt_BytesAppended_IsDetected()
    {
        var stored = Encrypt([1, 2, 3]);

        Assert.Throws<InvalidDataException>(() => Decrypt([.. stored, 0], 3, 0, 3));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }
}
