using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Cloudkeep.Backup;

/// <summary>
/// Decryption of a dump with the backup private key. The plaintext stream refuses, at its end, a message whose
/// modification detection code does not match (tampered) or is missing (truncated, or a message without
/// integrity protection, which gpg also refuses); every failure of the packets is a <see cref="BackupException"/>.
/// </summary>
public sealed class OpenPgpDecryption
{
    private readonly PgpSecretKeyRingBundle _keys;
    private readonly char[] _passphrase;

    private OpenPgpDecryption(PgpSecretKeyRingBundle keys, char[] passphrase)
    {
        _keys = keys;
        _passphrase = passphrase;
    }

    /// <summary>The secret keys in an armored (or binary) export, as <c>gpg --export-secret-keys --armor</c> writes it.</summary>
    public static OpenPgpDecryption FromSecretKey(string armoredSecretKey, string? passphrase)
    {
        try
        {
            using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.UTF8.GetBytes(armoredSecretKey)));
            var bundle = new PgpSecretKeyRingBundle(decoder);
            if (bundle.Count == 0)
            {
                throw new BackupException("the private key holds no OpenPGP secret key");
            }

            return new OpenPgpDecryption(bundle, (passphrase ?? "").ToCharArray());
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw new BackupException($"the private key is not an OpenPGP secret key: {e.Message}", e);
        }
    }

    /// <summary>The plaintext of the message read from <paramref name="encrypted"/>, integrity-checked when its end is read.</summary>
    public Stream Open(Stream encrypted)
    {
        try
        {
            var factory = new PgpObjectFactory(Decoded(encrypted));
            var first = factory.NextPgpObject();
            while (first is PgpMarker)
            {
                first = factory.NextPgpObject();
            }

            if (first is not PgpEncryptedDataList list)
            {
                throw new BackupException("the object is not an OpenPGP encrypted message");
            }

            foreach (var data in list.GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>())
            {
                if (_keys.GetSecretKey(data.KeyId) is not { } secret)
                {
                    continue;
                }

                if (!data.IsIntegrityProtected())
                {
                    throw new BackupException("the message has no integrity protection (no MDC): refused, as gpg refuses it");
                }

                PgpPrivateKey privateKey;
                try
                {
                    privateKey = secret.ExtractPrivateKey(_passphrase);
                }
                catch (PgpException e)
                {
                    throw new BackupException("the private key's passphrase is wrong", e);
                }

                var clear = data.GetDataStream(privateKey);
                var message = new PgpObjectFactory(clear).NextPgpObject();
                if (message is PgpCompressedData compressed)
                {
                    // gpg compresses unless it recognises its input as compressed already.
                    message = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
                }

                return message is PgpLiteralData literal
                    ? new VerifyingStream(literal.GetInputStream(), data)
                    : throw new BackupException("the message holds no literal data");
            }

            throw new BackupException("the message is not encrypted to the backup key (no session key packet for it)");
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw Damaged(e);
        }
    }

    /// <summary>
    /// Binary packets as they are, armored text through the armor decoder. (BouncyCastle's own detection needs a
    /// seekable stream; a download is not one.) A packet's first byte has its top bit set (RFC 4880 4.2).
    /// </summary>
    private static Stream Decoded(Stream input)
    {
        var first = input.ReadByte();
        if (first < 0)
        {
            throw new BackupException("the object is empty");
        }

        var whole = new PrefixedStream((byte)first, input);
        return (first & 0x80) != 0 ? whole : new ArmoredInputStream(whole);
    }

    internal static BackupException Damaged(Exception e) =>
        new($"the dump is truncated or has been tampered with (OpenPGP: {e.Message})", e);

    /// <summary>Reads the literal data; at its end, checks the MDC over everything read.</summary>
    private sealed class VerifyingStream(Stream inner, PgpPublicKeyEncryptedData data) : Stream
    {
        private bool _verified;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
                if (read == 0 && buffer.Length > 0 && !_verified)
                {
                    // Verify reads what follows the literal packet (the MDC packet) and compares the hash.
                    if (!data.Verify())
                    {
                        throw new BackupException("the dump has been tampered with: its OpenPGP integrity check (MDC) fails");
                    }

                    _verified = true;
                }
            }
            catch (Exception e) when (e is PgpException or IOException)
            {
                throw Damaged(e);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

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
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
