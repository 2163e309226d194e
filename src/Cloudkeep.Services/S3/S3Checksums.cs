using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.IO;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The additional checksums S3 verifies and stores ("Checking object integrity"): CRC32, CRC32C,
/// CRC64NVME, SHA1, SHA256, SHA512, MD5, XXHASH64, XXHASH3 and XXHASH128, each sent and returned base64-encoded, CRCs as
/// big-endian integers. The CRCs can also describe a multipart object as a whole (FULL_OBJECT),
/// combined from the parts' CRCs; the others only as a checksum of the parts' checksums (COMPOSITE).
/// </summary>
internal static class S3Checksums
{
    public const string FullObject = "FULL_OBJECT";
    public const string Composite = "COMPOSITE";

    public static readonly string[] Algorithms = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"];

    /// <summary>The algorithms whose checksum of a multipart object can be the whole object's, combined from the parts'.</summary>
    public static bool IsCrc(string algorithm) => algorithm is "CRC32" or "CRC32C" or "CRC64NVME";

    /// <summary>The CRC of the parts' data end to end, from each part's CRC (base64) and length.</summary>
    public static string CombineFullObject(string algorithm, IReadOnlyList<(string Checksum, long Length)> parts)
    {
        var (polynomial, width) = algorithm switch
        {
            "CRC32" => (0xEDB88320UL, 32),
            "CRC32C" => (0x82F63B78UL, 32),
            "CRC64NVME" => (Crc64NvmeChecksum.ReflectedPolynomial, 64),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        ulong crc = 0;
        foreach (var (checksum, length) in parts)
        {
            var bytes = Convert.FromBase64String(checksum);
            var value = width == 32 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt64BigEndian(bytes);
            crc = CrcCombine.Combine(crc, value, length, polynomial, width);
        }

        var result = new byte[width / 8];
        if (width == 32)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result, (uint)crc);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(result, crc);
        }

        return Convert.ToBase64String(result);
    }

    /// <summary>The type a stored set of checksums has: a composite value ends in "-" and the part count.</summary>
    public static string TypeOf(JsonObject checksums) =>
        checksums.Any(c => c.Value?.GetValue<string>().Contains('-', StringComparison.Ordinal) == true) ? Composite : FullObject;

    /// <summary>The input member carrying the client's value of an algorithm (ChecksumCRC32, ...).</summary>
    public static string Member(string algorithm) => "Checksum" + algorithm;

    /// <summary>The header (and aws-chunked trailer) name of an algorithm.</summary>
    public static string Header(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    public static IChecksum Create(string algorithm) => algorithm switch
    {
        "CRC32" => new Crc32Checksum(),
        "CRC32C" => new Crc32CChecksum(),
        "CRC64NVME" => new Crc64NvmeChecksum(),
        "SHA1" => new HashChecksum(HashAlgorithmName.SHA1),
        "SHA256" => new HashChecksum(HashAlgorithmName.SHA256),
        "SHA512" => new HashChecksum(HashAlgorithmName.SHA512),
        "MD5" => new HashChecksum(HashAlgorithmName.MD5),
        "XXHASH64" => new NonCryptographicChecksum(new XxHash64()),
        "XXHASH3" => new NonCryptographicChecksum(new XxHash3()),
        "XXHASH128" => new NonCryptographicChecksum(new XxHash128()),
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

    /// <summary>CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, all-ones initial value and final xor), S3's default CRC.</summary>
    private sealed class Crc64NvmeChecksum : IChecksum
    {
        public const ulong ReflectedPolynomial = 0x9A6C9329AC4BC9B5UL;
        private static readonly ulong[] Table = BuildTable();
        private ulong _crc = ulong.MaxValue;

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
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _crc ^ ulong.MaxValue);
            return bytes;
        }

        private static ulong[] BuildTable()
        {
            var table = new ulong[256];
            for (ulong i = 0; i < 256; i++)
            {
                var value = i;
                for (var bit = 0; bit < 8; bit++)
                {
                    value = (value & 1) != 0 ? (value >> 1) ^ ReflectedPolynomial : value >> 1;
                }

                table[i] = value;
            }

            return table;
        }
    }

    /// <summary>The xxHash family, in its canonical big-endian form (what the AWS SDKs send).</summary>
    private sealed class NonCryptographicChecksum(NonCryptographicHashAlgorithm hash) : IChecksum
    {
        public void Append(ReadOnlySpan<byte> data) => hash.Append(data);

        public byte[] GetHash() => hash.GetCurrentHash();
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
