using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Admin;

/// <summary>
/// The encrypted envelope of an estate archive:
/// <code>"CKESTATE" | 0x01 | header length (u16, big-endian) | header (JSON) | chunk 0 | chunk 1 | ... | final chunk</code>
/// The plaintext is cut into <see cref="ChunkSize"/> chunks, each its own AES-256-GCM message (ciphertext, then
/// its 16-byte tag). Chunk i's nonce is i (11 bytes, big-endian) then a byte that is 1 on the final chunk only,
/// and every chunk's associated data is the SHA-256 of everything before chunk 0, so a changed header, a chunk
/// changed, dropped, repeated or reordered, and a file cut anywhere (it lacks a chunk sealed as final) all fail a
/// tag check. Every chunk but the final one is full, so the final one is recognised by the end of the file.
/// The key is the archive's own (<see cref="ArchiveKey"/>); the header holds its salt and a check value, so a
/// wrong key is told apart from damage.
/// </summary>
public static class ArchiveStreams
{
    public const int ChunkSize = 1 << 20;
    private const int TagSize = 16;
    private const int NonceSize = 12;
    private static readonly byte[] Magic = "CKESTATE"u8.ToArray();

    /// <summary>Writes the header and returns the stream that encrypts what is written to it; disposing it seals the final chunk.</summary>
    public static Stream OpenWrite(Stream output, ArchiveKey key, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(key);
        var header = key.NewHeader();
        header["format"] = 1;
        header["created"] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var archiveKey = key.Derive(header);
        header["check"] = Convert.ToBase64String(KeyCheck(archiveKey));
        var prefix = Prefix(Encoding.UTF8.GetBytes(header.ToJsonString()));
        output.Write(prefix);
        return new Encrypting(output, archiveKey, SHA256.HashData(prefix));
    }

    /// <summary>Reads and checks the header; the returned stream decrypts and fails with <see cref="ArchiveException"/> on any damage.</summary>
    public static Stream OpenRead(Stream input, ArchiveKey key)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(key);
        var start = new byte[Magic.Length + 3];
        if (ReadFull(input, start) < start.Length || !start.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ArchiveException("this is not a Cloudkeep estate archive (it does not start with CKESTATE)");
        }

        if (start[Magic.Length] != 1)
        {
            throw new ArchiveException($"the archive's format {start[Magic.Length]} is newer than this cloudkeep reads");
        }

        var headerBytes = new byte[BinaryPrimitives.ReadUInt16BigEndian(start.AsSpan(Magic.Length + 1))];
        if (ReadFull(input, headerBytes) < headerBytes.Length)
        {
            throw new ArchiveException("the archive is truncated: its header is incomplete");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new ArchiveException("the archive's header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ArchiveException("the archive's header is damaged: " + e.Message, e);
        }

        byte[] archiveKey;
        try
        {
            archiveKey = key.Derive(header);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new ArchiveException("the archive's header is damaged: " + e.Message, e);
        }

        if (!Convert.TryFromBase64String((string?)header["check"] ?? "", new byte[16], out var written) || written != 16)
        {
            throw new ArchiveException("the archive's header is damaged: its key check is not 16 bytes of base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(Convert.FromBase64String((string)header["check"]!), KeyCheck(archiveKey)))
        {
            throw new ArchiveException($"the {key.Kind} given is not the one this archive was encrypted to");
        }

        return new Decrypting(input, archiveKey, SHA256.HashData(Prefix(headerBytes)));
    }

    private static byte[] Prefix(byte[] header)
    {
        var prefix = new byte[Magic.Length + 3 + header.Length];
        Magic.CopyTo(prefix, 0);
        prefix[Magic.Length] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(Magic.Length + 1), checked((ushort)header.Length));
        header.CopyTo(prefix, Magic.Length + 3);
        return prefix;
    }

    private static byte[] KeyCheck(byte[] archiveKey) => HMACSHA256.HashData(archiveKey, "cloudkeep estate archive key check"u8)[..16];

    private static void Nonce(Span<byte> nonce, long index, bool final)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], index);
        nonce[11] = final ? (byte)1 : (byte)0;
    }

    private static int ReadFull(Stream input, Span<byte> buffer)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = input.Read(buffer[filled..])) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private sealed class Encrypting(Stream output, byte[] key, byte[] associated) : WriteOnlyStream
    {
        private readonly AesGcm _aes = new(key, TagSize);
        private readonly byte[] _plain = new byte[ChunkSize];
        private readonly byte[] _sealed = new byte[ChunkSize + TagSize];
        private int _filled;
        private long _index;
        private bool _closed;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            while (buffer.Length > 0)
            {
                // A full chunk is sealed only once more bytes come, so the final chunk may be full too.
                if (_filled == ChunkSize)
                {
                    Seal(final: false);
                }

                var take = Math.Min(buffer.Length, ChunkSize - _filled);
                buffer[..take].CopyTo(_plain.AsSpan(_filled));
                _filled += take;
                buffer = buffer[take..];
            }
        }

        private void Seal(bool final)
        {
            Span<byte> nonce = stackalloc byte[NonceSize];
            Nonce(nonce, _index++, final);
            _aes.Encrypt(nonce, _plain.AsSpan(0, _filled), _sealed.AsSpan(0, _filled), _sealed.AsSpan(_filled, TagSize), associated);
            output.Write(_sealed, 0, _filled + TagSize);
            _filled = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                Seal(final: true);
                output.Flush();
                _aes.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class Decrypting(Stream input, byte[] key, byte[] associated) : Stream
    {
        private readonly AesGcm _aes = new(key, TagSize);
        private readonly byte[] _sealed = new byte[ChunkSize + TagSize + 1];
        private readonly byte[] _plain = new byte[ChunkSize];
        private int _carried;
        private int _offset;
        private int _length;
        private long _index;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_offset == _length)
            {
                if (_ended)
                {
                    return 0;
                }

                Open();
            }

            var take = Math.Min(buffer.Length, _length - _offset);
            _plain.AsSpan(_offset, take).CopyTo(buffer);
            _offset += take;
            return take;
        }

        private void Open()
        {
            // One byte past a full chunk tells whether another follows; it is carried into the next read.
            var filled = _carried + ReadFull(input, _sealed.AsSpan(_carried, ChunkSize + TagSize + 1 - _carried));
            var final = filled <= ChunkSize + TagSize;
            var length = final ? filled : ChunkSize + TagSize;
            if (length < TagSize)
            {
                throw new ArchiveException($"the archive is truncated: chunk {_index} is incomplete");
            }

            Span<byte> nonce = stackalloc byte[NonceSize];
            Nonce(nonce, _index, final);
            try
            {
                _aes.Decrypt(nonce, _sealed.AsSpan(0, length - TagSize), _sealed.AsSpan(length - TagSize, TagSize), _plain.AsSpan(0, length - TagSize), associated);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new ArchiveException(final
                    ? $"the archive is truncated or was altered: its last chunk ({_index}) fails its integrity check"
                    : $"the archive was altered: chunk {_index} fails its integrity check", e);
            }

            if (!final)
            {
                _sealed[0] = _sealed[ChunkSize + TagSize];
                _carried = 1;
            }

            _ended = final;
            _index++;
            _offset = 0;
            _length = length - TagSize;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _aes.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The members a write-only, forward-only stream does not have.</summary>
internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
