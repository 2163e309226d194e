using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using Cloudkeep.Core.IO;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The additional checksums S3 verifies and stores ("Checking object integrity"): CRC32, CRC32C,
/// SHA1, SHA256, each sent and returned base64-encoded, CRCs as big-endian integers.
/// </summary>
internal static class S3Checksums
{
    public static readonly string[] Algorithms = ["CRC32", "CRC32C", "SHA1", "SHA256"];

    /// <summary>The input member carrying the client's value of an algorithm (ChecksumCRC32, ...).</summary>
    public static string Member(string algorithm) => "Checksum" + algorithm;

    /// <summary>The header (and aws-chunked trailer) name of an algorithm.</summary>
    public static string Header(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    public static IChecksum Create(string algorithm) => algorithm switch
    {
        "CRC32" => new Crc32Checksum(),
        "CRC32C" => new Crc32CChecksum(),
        "SHA1" => new HashChecksum(HashAlgorithmName.SHA1),
        "SHA256" => new HashChecksum(HashAlgorithmName.SHA256),
        _ => throw S3Errors.InvalidRequest.ToException($"Checksum algorithm {algorithm} is not supported."),
    };

    public static string Compute(string algorithm, ReadOnlySpan<byte> data)
    {
        var checksum = Create(algorithm);
        checksum.Append(data);
        return Convert.ToBase64String(checksum.GetHash());
    }

    internal interface IChecksum
    {
        void Append(ReadOnlySpan<byte> data);

        byte[] GetHash();
    }

    private sealed class Crc32Checksum : IChecksum
    {
        private readonly Crc32 _crc = new();

        public void Append(ReadOnlySpan<byte> data) => _crc.Append(data);

        public byte[] GetHash()
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, _crc.GetCurrentHashAsUInt32());
            return bytes;
        }
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), which the BCL does not offer.</summary>
    private sealed class Crc32CChecksum : IChecksum
    {
        private static readonly uint[] Table = BuildTable();
        private uint _crc = 0xFFFFFFFF;

        public void Append(ReadOnlySpan<byte> data)
        {
            var crc = _crc;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            _crc = crc;
        }

        public byte[] GetHash()
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, _crc ^ 0xFFFFFFFF);
            return bytes;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var value = i;
                for (var bit = 0; bit < 8; bit++)
                {
                    value = (value & 1) != 0 ? (value >> 1) ^ 0x82F63B78u : value >> 1;
                }

                table[i] = value;
            }

            return table;
        }
    }

    private sealed class HashChecksum(HashAlgorithmName name) : IChecksum
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

        public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public byte[] GetHash() => _hash.GetHashAndReset();
    }
}

/// <summary>Passes a body through while computing the requested checksums, so nothing is read twice.</summary>
internal sealed class ChecksumStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly List<(string Algorithm, S3Checksums.IChecksum Checksum)> _checksums;

    public ChecksumStream(Stream inner, IEnumerable<string> algorithms)
    {
        _inner = inner;
        _checksums = [.. algorithms.Distinct(StringComparer.Ordinal).Select(a => (a, S3Checksums.Create(a)))];
    }

    public bool Any => _checksums.Count > 0;

    public Dictionary<string, string> Results() =>
        _checksums.ToDictionary(c => c.Algorithm, c => Convert.ToBase64String(c.Checksum.GetHash()), StringComparer.Ordinal);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        foreach (var (_, checksum) in _checksums)
        {
            checksum.Append(buffer.Span[..read]);
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        foreach (var (_, checksum) in _checksums)
        {
            checksum.Append(buffer.AsSpan(offset, read));
        }

        return read;
    }
}
