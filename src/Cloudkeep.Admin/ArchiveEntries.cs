using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cloudkeep.Admin;

/// <summary>
/// The plaintext inside the envelope: a sequence of entries, then the manifest.
/// <code>entry: 0x01 | name length (u16) | name (UTF-8) | length (i64) | bytes      end: 0x02 | manifest length (u32) | manifest (JSON)</code>
/// All integers are big-endian. The writer hashes every entry (SHA-256) as it copies it, and the manifest lists
/// them; the reader hashes them again and <see cref="EstateManifest.Check"/> compares, so a restore proves it has
/// every entry the backup wrote, each byte-identical.
/// </summary>
internal sealed class ArchiveWriter(Stream plaintext)
{
    private const int CopyBuffer = 1 << 17;

    public List<ManifestEntry> Entries { get; } = [];

    /// <summary>Copies exactly <paramref name="length"/> bytes of <paramref name="content"/> as one entry.</summary>
    public async Task WriteEntryAsync(string name, Stream content, long length, CancellationToken cancellationToken)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var head = new byte[1 + 2 + nameBytes.Length + 8];
        head[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(1), checked((ushort)nameBytes.Length));
        nameBytes.CopyTo(head, 3);
        BinaryPrimitives.WriteInt64BigEndian(head.AsSpan(3 + nameBytes.Length), length);
        await plaintext.WriteAsync(head, cancellationToken);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            var left = length;
            while (left > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBuffer, left)), cancellationToken);
                if (read == 0)
                {
                    throw new ArchiveException($"{name} ended {left} bytes before its length: it changed while it was copied");
                }

                hash.AppendData(buffer, 0, read);
                await plaintext.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Entries.Add(new ManifestEntry(name, length, Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    public async Task FinishAsync(byte[] manifest, CancellationToken cancellationToken)
    {
        var head = new byte[5];
        head[0] = 2;
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(1), checked((uint)manifest.Length));
        await plaintext.WriteAsync(head, cancellationToken);
        await plaintext.WriteAsync(manifest, cancellationToken);
    }
}

/// <summary>Reads what <see cref="ArchiveWriter"/> wrote, hashing each entry as the caller copies it.</summary>
internal sealed class ArchiveReader(Stream plaintext)
{
    private const int MaxManifestBytes = 1 << 30;

    public List<ManifestEntry> Entries { get; } = [];

    /// <summary>The next entry's name and length, or null at the manifest (then <see cref="ReadManifestAsync"/>).</summary>
    public async Task<(string Name, long Length)?> NextAsync(CancellationToken cancellationToken)
    {
        var kind = new byte[1];
        await ReadExactlyAsync(kind, "an entry's start", cancellationToken);
        if (kind[0] == 2)
        {
            return null;
        }

        if (kind[0] != 1)
        {
            throw new ArchiveException($"the archive's contents are malformed (entry kind {kind[0]})");
        }

        var nameLength = new byte[2];
        await ReadExactlyAsync(nameLength, "an entry's name", cancellationToken);
        var name = new byte[BinaryPrimitives.ReadUInt16BigEndian(nameLength)];
        await ReadExactlyAsync(name, "an entry's name", cancellationToken);
        var length = new byte[8];
        await ReadExactlyAsync(length, "an entry's length", cancellationToken);
        var value = BinaryPrimitives.ReadInt64BigEndian(length);
        return value < 0 ? throw new ArchiveException("the archive's contents are malformed (a negative length)") : (Encoding.UTF8.GetString(name), value);
    }

    /// <summary>Copies the current entry's bytes to <paramref name="sink"/> (Stream.Null to only check it).</summary>
    public async Task CopyEntryAsync(string name, long length, Stream sink, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            var left = length;
            while (left > 0)
            {
                var read = await plaintext.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (read == 0)
                {
                    throw new ArchiveException($"the archive ends inside {name}");
                }

                hash.AppendData(buffer, 0, read);
                await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Entries.Add(new ManifestEntry(name, length, Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    /// <summary>The manifest, after which the envelope must end.</summary>
    public async Task<byte[]> ReadManifestAsync(CancellationToken cancellationToken)
    {
        var length = new byte[4];
        await ReadExactlyAsync(length, "the manifest", cancellationToken);
        var size = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (size > MaxManifestBytes)
        {
            throw new ArchiveException("the archive's manifest is implausibly large");
        }

        var manifest = new byte[size];
        await ReadExactlyAsync(manifest, "the manifest", cancellationToken);
        if (await plaintext.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new ArchiveException("the archive has bytes after its manifest");
        }

        return manifest;
    }

    private async Task ReadExactlyAsync(byte[] buffer, string what, CancellationToken cancellationToken)
    {
        try
        {
            await plaintext.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new ArchiveException($"the archive ends inside {what}", e);
        }
    }
}
