using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Cloudkeep.Backup;

/// <summary>
/// Encryption to an OpenPGP public key as <c>gpg --encrypt -r KEY</c> makes it from a pipe: a public-key
/// encrypted session key packet, then a symmetrically encrypted integrity-protected data packet (AES-256,
/// with its modification detection code) holding one binary literal data packet, in partial-length chunks
/// since the length is not known in advance (RFC 4880 4.2.2.4). No compression packet: the input is gzip already.
/// </summary>
public static class OpenPgpEncryption
{
    private const int ChunkSize = 1 << 16;

    /// <summary>The encryption key in a public key file (armored or binary): the first encryption subkey, else an encryption-capable primary key.</summary>
    public static PgpPublicKey LoadRecipient(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"the recipient key {path} cannot be read: {e.Message}", e);
        }

        try
        {
            using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(bytes));
            var bundle = new PgpPublicKeyRingBundle(decoder);
            var keys = bundle.GetKeyRings().SelectMany(r => r.GetPublicKeys()).Where(k => k.IsEncryptionKey && !k.HasRevocation()).ToList();
            return keys.FirstOrDefault(k => !k.IsMasterKey) ?? keys.FirstOrDefault()
                ?? throw new BackupException($"the recipient key {path} has no encryption key");
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw new BackupException($"the recipient key {path} is not an OpenPGP public key: {e.Message}", e);
        }
    }

    /// <summary>
    /// A stream whose bytes are written encrypted to <paramref name="output"/>; disposing it writes the integrity
    /// packet and closes the packets (never <paramref name="output"/> itself).
    /// </summary>
    public static Stream Open(PgpPublicKey recipient, Stream output, DateTime modified)
    {
        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
        generator.AddMethod(recipient);
        var shield = new NonClosingStream(output);
        var encrypted = generator.Open(shield, new byte[ChunkSize]);
        var literal = new PgpLiteralDataGenerator().Open(encrypted, PgpLiteralData.Binary, "", modified, new byte[ChunkSize]);
        return new EncryptingStream(literal, encrypted);
    }

    /// <summary>The literal stream; its disposal closes the literal packet, then the encrypted one (which writes the MDC).</summary>
    private sealed class EncryptingStream(Stream literal, Stream encrypted) : Stream
    {
        private bool _closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => literal.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => literal.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            literal.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            literal.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                literal.Dispose();
                encrypted.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
