using System.Diagnostics;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Cloudkeep.Secrets.Keys;

/// <summary>
/// OpenPGP master keys (pgp/keysource.go): the data key's raw 32 bytes are encrypted to the key
/// named by its fingerprint and stored as an armored message. Keys come from the keyring files
/// (CLOUDKEEP_PGP_KEYRING) through BouncyCastle; without them, as sops does, the gpg binary is
/// asked (gpg --export to encrypt, gpg --decrypt to decrypt) so the user's gpg-agent and keyring work.
/// </summary>
internal sealed class PgpKeyService(SecretsEnvironment environment, TimeProvider time)
{
    private List<PgpPublicKeyRing>? _publicRings;
    private List<PgpSecretKeyRing>? _secretRings;

    public async Task EncryptAsync(PgpMasterKey key, byte[] dataKey, CancellationToken cancellationToken)
    {
        var ring = FindPublicRing(key.Fingerprint) ?? await ExportFromGpgAsync(key.Fingerprint, environment, cancellationToken)
            ?? throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"no OpenPGP public key with fingerprint {key.Fingerprint}");
        var encryptionKey = ring.GetPublicKeys().FirstOrDefault(k => k.IsEncryptionKey && !k.IsMasterKey)
            ?? ring.GetPublicKeys().FirstOrDefault(k => k.IsEncryptionKey)
            ?? throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"the OpenPGP key {key.Fingerprint} has no encryption key");

        using var output = new MemoryStream();
        using (var armored = new ArmoredOutputStream(output))
        {
            var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, new SecureRandom());
            generator.AddMethod(encryptionKey);
            using var encrypted = generator.Open(armored, new byte[4096]);
            var literal = new PgpLiteralDataGenerator();
            using var literalStream = literal.Open(encrypted, PgpLiteralData.Binary, "", dataKey.Length, time.GetUtcNow().UtcDateTime);
            literalStream.Write(dataKey);
        }

        key.Enc = Encoding.ASCII.GetString(output.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public async Task<byte[]> DecryptAsync(PgpMasterKey key, CancellationToken cancellationToken)
    {
        if (environment.PgpKeyringFiles.Count > 0)
        {
            return DecryptWithKeyring(key.Enc) ?? throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"no secret key for {key.Fingerprint} in the keyring files");
        }

        var (exit, output, _) = await GpgAsync(["--batch", "--quiet", "--decrypt"], Encoding.ASCII.GetBytes(key.Enc), environment, cancellationToken);
        return exit == 0 ? output : throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"gpg could not decrypt the data key for {key.Fingerprint} (exit {exit})");
    }

    private byte[]? DecryptWithKeyring(string armoredMessage)
    {
        LoadKeyrings();
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armoredMessage)));
        var factory = new PgpObjectFactory(decoder);
        var first = factory.NextPgpObject();
        var list = first as PgpEncryptedDataList ?? factory.NextPgpObject() as PgpEncryptedDataList
            ?? throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "the PGP data key is not an encrypted message");
        foreach (var data in list.GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>())
        {
            var secret = _secretRings!.Select(r => r.GetSecretKey(data.KeyId)).FirstOrDefault(k => k is not null);
            if (secret is null)
            {
                continue;
            }

            var privateKey = secret.ExtractPrivateKey([]);
            using var clear = data.GetDataStream(privateKey);
            var message = new PgpObjectFactory(clear).NextPgpObject();
            if (message is PgpCompressedData compressed)
            {
                message = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
            }

            if (message is not PgpLiteralData literal)
            {
                throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "the PGP message holds no literal data");
            }

            using var plain = new MemoryStream();
            literal.GetInputStream().CopyTo(plain);
            if (data.IsIntegrityProtected() && !data.Verify())
            {
                throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "the PGP message failed its integrity check");
            }

            return plain.ToArray();
        }

        return null;
    }

    private PgpPublicKeyRing? FindPublicRing(string fingerprint)
    {
        if (environment.PgpKeyringFiles.Count == 0)
        {
            return null;
        }

        LoadKeyrings();
        return _publicRings!.FirstOrDefault(r => Matches(r.GetPublicKey(), fingerprint));
    }

    private static bool Matches(PgpPublicKey key, string fingerprint) =>
        Convert.ToHexString(key.GetFingerprint()).EndsWith(fingerprint.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparison.Ordinal);

    private void LoadKeyrings()
    {
        if (_publicRings is not null)
        {
            return;
        }

        _publicRings = [];
        _secretRings = [];
        foreach (var file in environment.PgpKeyringFiles)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var block in Blocks(bytes))
            {
                using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(block));
                var factory = new PgpObjectFactory(decoder);
                for (var obj = factory.NextPgpObject(); obj is not null; obj = factory.NextPgpObject())
                {
                    if (obj is PgpSecretKeyRing secret)
                    {
                        _secretRings.Add(secret);
                        _publicRings.Add(new PgpPublicKeyRing(secret.GetPublicKey().GetEncoded()));
                        var subkeys = secret.GetSecretKeys().Where(k => !k.IsMasterKey).Select(k => k.PublicKey).ToList();
                        var ring = _publicRings[^1];
                        foreach (var sub in subkeys)
                        {
                            ring = PgpPublicKeyRing.InsertPublicKey(ring, sub);
                        }

                        _publicRings[^1] = ring;
                    }
                    else if (obj is PgpPublicKeyRing pub)
                    {
                        _publicRings.Add(pub);
                    }
                }
            }
        }
    }

    /// <summary>A key file may hold several armored blocks one after the other (sops's test key file does); each is decoded on its own.</summary>
    private static IEnumerable<byte[]> Blocks(byte[] bytes)
    {
        var text = Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN PGP", StringComparison.Ordinal))
        {
            yield return bytes;
            yield break;
        }

        var start = text.IndexOf("-----BEGIN PGP", StringComparison.Ordinal);
        while (start >= 0)
        {
            var endMarker = text.IndexOf("-----END PGP", start, StringComparison.Ordinal);
            var end = endMarker < 0 ? text.Length : text.IndexOf('\n', endMarker) is var nl and >= 0 ? nl + 1 : text.Length;
            yield return Encoding.ASCII.GetBytes(text[start..end]);
            start = text.IndexOf("-----BEGIN PGP", end, StringComparison.Ordinal);
        }
    }

    private static async Task<PgpPublicKeyRing?> ExportFromGpgAsync(string fingerprint, SecretsEnvironment environment, CancellationToken cancellationToken)
    {
        var (exit, output, _) = await GpgAsync(["--batch", "--export", fingerprint], [], environment, cancellationToken);
        if (exit != 0 || output.Length == 0)
        {
            return null;
        }

        var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(new MemoryStream(output)));
        return factory.NextPgpObject() as PgpPublicKeyRing;
    }

    private static async Task<(int Exit, byte[] Output, string Error)> GpgAsync(string[] arguments, byte[] input, SecretsEnvironment environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("gpg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (environment.GetVariable("GNUPGHOME") is { } home)
        {
            start.Environment["GNUPGHOME"] = home;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "could not start gpg");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "gpg is not installed and CLOUDKEEP_PGP_KEYRING names no key file", e);
        }

        using (process)
        {
            await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            process.StandardInput.Close();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(copy, error);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, output.ToArray(), await error);
        }
    }
}
