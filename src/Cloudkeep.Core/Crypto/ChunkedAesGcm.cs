using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Cloudkeep.Core.IO;

namespace Cloudkeep.Core.Crypto;

/// <summary>
/// Encryption at rest for stored bytes (S3's SSE-S3): each stored unit gets a fresh random AES-256
/// data key, sealed under the master key (<see cref="SecretBox"/>, its purpose naming what the
/// bytes belong to), and its plaintext is cut into <see cref="ChunkSize"/> chunks, each its own
/// AES-256-GCM message. Layout:
/// <code>"CKE1" | sealed data key (61) | nonce prefix (8) | chunk 0 ciphertext | tag 0 | chunk 1 ... | last chunk | tag</code>
/// Every chunk but the last holds exactly <see cref="ChunkSize"/> bytes; the last holds fewer (none
/// when the plaintext is a multiple of the chunk size, so an empty plaintext is one empty chunk), so
/// where chunk i lies is known from the plaintext length alone and a range read decrypts only the
/// chunks it covers. Chunk i's nonce is the random prefix then i (big-endian, 4 bytes), unique under
/// its key; its associated data is the magic, i and a final-chunk flag, so chunks cannot be
/// reordered, dropped, duplicated or truncated (a stream cut at a chunk boundary lacks the chunk
/// flagged final) without the tag check failing.
/// </summary>
public static class ChunkedAesGcm
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    private const int KeySize = 32;
    private const int NoncePrefixSize = 8;
    private const int NonceSize = 12;

    /// <summary>SecretBox's sealed form of a 32-byte key: version, nonce, tag, ciphertext.</summary>
    private const int SealedKeySize = 1 + 12 + 16 + KeySize;

    private static ReadOnlySpan<byte> Magic => "CKE1"u8;

    public static int HeaderSize => 4 + SealedKeySize + NoncePrefixSize;

    /// <summary>How many bytes the stored form of a plaintext of this length takes.</summary>
    public static long StoredLength(long plaintextLength) =>
        HeaderSize + plaintextLength + ((plaintextLength / ChunkSize) + 1) * TagSize;

    /// <summary>
    /// Where the chunks holding plaintext [offset, offset + length) lie in the stored form: what a range read fetches
    /// besides the header (the first <see cref="HeaderSize"/> bytes), so a remote store is asked for those bytes only.
    /// </summary>
    public static (long Offset, long Length) StoredSpan(long plaintextLength, long offset, long length)
    {
        var first = offset / ChunkSize;
        var last = length == 0 ? first : (offset + length - 1) / ChunkSize;
        var start = HeaderSize + first * (ChunkSize + TagSize);
        var end = HeaderSize + last * (ChunkSize + TagSize) + Math.Min(ChunkSize, plaintextLength - last * ChunkSize) + TagSize;
        return (start, end - start);
    }

    private static string Purpose(string context) => "chunked-aes-gcm-data-key:" + context;

    /// <summary>A stream of the stored form of <paramref name="plaintext"/>, read as it is produced.</summary>
    public static EncryptingStream Encrypt(SecretBox masterKey, string context, Stream plaintext) => new(masterKey, context, plaintext);

    /// <summary>
    /// The plaintext bytes [offset, offset + length) of a stored form (seekable, owned by the returned
    /// stream). Anything altered, truncated or extended fails with <see cref="InvalidDataException"/>
    /// rather than answering wrong bytes.
    /// </summary>
    public static Stream DecryptRange(SecretBox masterKey, string context, Stream stored, long plaintextLength, long offset, long length) =>
        new DecryptingStream(masterKey, context, stored, plaintextLength, offset, length);

    /// <summary>
    /// Encrypts a plaintext held in memory (what is kept inline in a metadata row) straight into its stored
    /// form: the same layout the stream makes, without its copy of the plaintext and its 64 KiB buffers.
    /// </summary>
    public static byte[] EncryptBytes(SecretBox masterKey, string context, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        var stored = new byte[StoredLength(plaintext.Length)];
        Span<byte> key = stackalloc byte[KeySize];
        RandomNumberGenerator.Fill(key);
        try
        {
            Magic.CopyTo(stored);
            masterKey.Seal(key, Purpose(context)).CopyTo(stored.AsSpan(4));
            var noncePrefix = stored.AsSpan(4 + SealedKeySize, NoncePrefixSize);
            RandomNumberGenerator.Fill(noncePrefix);
            using var gcm = new AesGcm(key, TagSize);
            Span<byte> nonce = stackalloc byte[NonceSize];
            Span<byte> associated = stackalloc byte[13];
            var lastIndex = plaintext.Length / ChunkSize;
            var at = HeaderSize;
            for (var index = 0; index <= lastIndex; index++)
            {
                var chunk = plaintext.Slice(index * ChunkSize, Math.Min(ChunkSize, plaintext.Length - (index * ChunkSize)));
                Nonce(nonce, noncePrefix, index);
                AssociatedData(associated, index, index == lastIndex);
                gcm.Encrypt(nonce, chunk, stored.AsSpan(at, chunk.Length), stored.AsSpan(at + chunk.Length, TagSize), associated);
                at += chunk.Length + TagSize;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return stored;
    }

    private static void AssociatedData(Span<byte> destination, long index, bool final)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], index);
        destination[12] = final ? (byte)1 : (byte)0;
    }

    private static void Nonce(Span<byte> destination, ReadOnlySpan<byte> prefix, long index)
    {
        prefix.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[NoncePrefixSize..], checked((uint)index));
    }

    /// <summary>Reads a plaintext and yields its stored form; the plaintext's length and MD5 are known once it has ended.</summary>
    public sealed class EncryptingStream : ReadOnlyForwardStream
    {
        private readonly Stream _plaintext;
        private readonly AesGcm _gcm;
        private readonly byte[] _noncePrefix = new byte[NoncePrefixSize];
        private readonly byte[] _input;
        private readonly byte[] _output;
        private readonly IncrementalHash _md5;
        private int _outputOffset;
        private int _outputCount;
        private int _inputUsed;
        private long _index;
        private bool _finished;
        private byte[]? _plaintextMd5;

        internal EncryptingStream(SecretBox masterKey, string context, Stream plaintext)
        {
            _plaintext = plaintext;
            var key = RandomNumberGenerator.GetBytes(KeySize);
            try
            {
                _gcm = new AesGcm(key, TagSize);
                var sealedKey = masterKey.Seal(key, Purpose(context));
                RandomNumberGenerator.Fill(_noncePrefix);
                _input = ArrayPool<byte>.Shared.Rent(ChunkSize);
                _output = ArrayPool<byte>.Shared.Rent(ChunkSize + TagSize);
                Magic.CopyTo(_output);
                sealedKey.CopyTo(_output.AsSpan(4));
                _noncePrefix.CopyTo(_output.AsSpan(4 + SealedKeySize));
                _outputCount = HeaderSize;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

#pragma warning disable CA5351 // S3 defines a simple upload's ETag as the MD5 of its (plaintext) bytes.
            _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        }

        /// <summary>The plaintext bytes read so far (all of them once the stream has ended).</summary>
        public long PlaintextLength { get; private set; }

        /// <summary>The MD5 of the whole plaintext; only once the stream has been read to its end.</summary>
        public byte[] PlaintextMd5 => _plaintextMd5 ?? throw new InvalidOperationException("The plaintext has not been read to its end.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_outputOffset == _outputCount)
            {
                if (_finished)
                {
                    return 0;
                }

                await NextChunkAsync(cancellationToken);
            }

            var count = Math.Min(buffer.Length, _outputCount - _outputOffset);
            _output.AsMemory(_outputOffset, count).CopyTo(buffer);
            _outputOffset += count;
            return count;
        }

        private async Task NextChunkAsync(CancellationToken cancellationToken)
        {
            var filled = 0;
            int read;
            while (filled < ChunkSize && (read = await _plaintext.ReadAsync(_input.AsMemory(filled, ChunkSize - filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            _inputUsed = Math.Max(_inputUsed, filled);

            // A short chunk is the last one; a plaintext that fills its last chunk is followed by an empty final chunk.
            var final = filled < ChunkSize;
            _md5.AppendData(_input, 0, filled);
            PlaintextLength += filled;
            Span<byte> nonce = stackalloc byte[NonceSize];
            Span<byte> associated = stackalloc byte[13];
            Nonce(nonce, _noncePrefix, _index);
            AssociatedData(associated, _index, final);
            _gcm.Encrypt(nonce, _input.AsSpan(0, filled), _output.AsSpan(0, filled), _output.AsSpan(filled, TagSize), associated);
            _outputOffset = 0;
            _outputCount = filled + TagSize;
            _index++;
            if (final)
            {
                _finished = true;
                _plaintextMd5 = _md5.GetHashAndReset();
            }
        }

        private bool _disposed;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _gcm.Dispose();
                _md5.Dispose();
                // Only what held plaintext: clearing the whole 64 KiB chunk was the largest single cost of a 4 KiB PUT's body.
                CryptographicOperations.ZeroMemory(_input.AsSpan(0, _inputUsed));
                ArrayPool<byte>.Shared.Return(_input);
                ArrayPool<byte>.Shared.Return(_output);
            }

            base.Dispose(disposing);
        }
    }

    private sealed class DecryptingStream : ReadOnlyForwardStream
    {
        private readonly SecretBox _masterKey;
        private readonly string _context;
        private readonly Stream _stored;
        private readonly long _plaintextLength;
        private readonly byte[] _chunk;
        private readonly byte[] _noncePrefix = new byte[NoncePrefixSize];
        private AesGcm? _gcm;
        private long _position;
        private long _remaining;
        private long _chunkIndex = -1;
        private int _chunkLength;
        private int _chunkUsed;

        public DecryptingStream(SecretBox masterKey, string context, Stream stored, long plaintextLength, long offset, long length)
        {
            if (offset < 0 || length < 0 || offset + length > plaintextLength)
            {
                throw new ArgumentOutOfRangeException(nameof(length), "The range lies outside the plaintext.");
            }

            _masterKey = masterKey;
            _context = context;
            _stored = stored;
            _plaintextLength = plaintextLength;
            _position = offset;
            _remaining = length;

            // A small object's chunk is its whole plaintext: a 4 KiB GET rents (and clears) 4 KiB, not a 128 KiB array.
            _chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkSize, plaintextLength) + TagSize);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining == 0 || buffer.Length == 0)
            {
                return 0;
            }

            var index = _position / ChunkSize;
            if (index != _chunkIndex)
            {
                await LoadChunkAsync(index, cancellationToken);
            }

            var within = (int)(_position - index * ChunkSize);
            var count = (int)Math.Min(Math.Min(buffer.Length, _chunkLength - within), _remaining);
            _chunk.AsMemory(within, count).CopyTo(buffer);
            _position += count;
            _remaining -= count;
            return count;
        }

        private async Task OpenAsync(CancellationToken cancellationToken)
        {
            if (_stored.CanSeek && _stored.Length != StoredLength(_plaintextLength))
            {
                throw Corrupt();
            }

            var header = new byte[HeaderSize];
            _stored.Seek(0, SeekOrigin.Begin);
            await ReadStoredAsync(header, cancellationToken);
            if (!header.AsSpan(0, 4).SequenceEqual(Magic))
            {
                throw Corrupt();
            }

            byte[] key;
            try
            {
                key = _masterKey.Open(header.AsSpan(4, SealedKeySize), Purpose(_context));
            }
            catch (CryptographicException)
            {
                throw Corrupt();
            }

            try
            {
                _gcm = new AesGcm(key, TagSize);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            header.AsSpan(4 + SealedKeySize, NoncePrefixSize).CopyTo(_noncePrefix);
        }

        private async Task LoadChunkAsync(long index, CancellationToken cancellationToken)
        {
            if (_gcm is null)
            {
                await OpenAsync(cancellationToken);
            }

            var lastIndex = _plaintextLength / ChunkSize;
            var plainLength = (int)Math.Min(ChunkSize, _plaintextLength - index * ChunkSize);
            if (_chunkIndex + 1 != index || _stored.Position != HeaderSize + index * (ChunkSize + TagSize))
            {
                _stored.Seek(HeaderSize + index * (ChunkSize + TagSize), SeekOrigin.Begin);
            }

            _chunkUsed = Math.Max(_chunkUsed, plainLength + TagSize);
            await ReadStoredAsync(_chunk.AsMemory(0, plainLength + TagSize), cancellationToken);
            Span<byte> nonce = stackalloc byte[NonceSize];
            Span<byte> associated = stackalloc byte[13];
            Nonce(nonce, _noncePrefix, index);
            AssociatedData(associated, index, index == lastIndex);
            try
            {
                _gcm!.Decrypt(nonce, _chunk.AsSpan(0, plainLength), _chunk.AsSpan(plainLength, TagSize), _chunk.AsSpan(0, plainLength), associated);
            }
            catch (CryptographicException)
            {
                _chunkIndex = -1;
                throw Corrupt();
            }

            _chunkIndex = index;
            _chunkLength = plainLength;
        }

        private async Task ReadStoredAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                await _stored.ReadExactlyAsync(buffer, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw Corrupt();
            }
        }

        private static InvalidDataException Corrupt() => new("Stored object data failed its integrity check.");

        private bool _disposed;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _gcm?.Dispose();
                _stored.Dispose();
                CryptographicOperations.ZeroMemory(_chunk.AsSpan(0, _chunkUsed));
                ArrayPool<byte>.Shared.Return(_chunk);
            }

            base.Dispose(disposing);
        }
    }
}
