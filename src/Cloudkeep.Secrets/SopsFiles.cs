using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Secrets.Stores;

namespace Cloudkeep.Secrets;

/// <summary>A decrypted file: its plaintext documents, metadata, data key, and the cipher that remembers the IVs.</summary>
internal sealed record OpenedFile(List<SopsMap> Documents, SopsMetadata Metadata, byte[] DataKey, SopsValueCipher Cipher);

/// <summary>The operations behind the commands: encrypt a plain file, open (decrypt and verify) an encrypted one, and seal it again.</summary>
internal sealed class SopsFiles(SecretsEnvironment environment, TimeProvider time)
{
    private readonly DataKeyService _keys = new(environment, time);

    public DataKeyService Keys => _keys;

    /// <summary>Encrypts a plain file under a fresh 32-byte data key, encrypted to every master key of <paramref name="metadata"/>.</summary>
    public async Task<byte[]> EncryptAsync(ISopsStore store, byte[] plain, SopsMetadata metadata, CancellationToken cancellationToken)
    {
        var documents = store.LoadPlain(plain);
        if (store.HasSopsMetadata(documents))
        {
            throw new SopsException(SopsExitCodes.FileAlreadyEncrypted, "the file is already encrypted");
        }

        if (!metadata.AllKeys.Any())
        {
            throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, "no master key given: use --kms, --pgp, --age or a .sops.yaml creation rule");
        }

        metadata.ApplyDefaultRule();
        var dataKey = RandomNumberGenerator.GetBytes(32);
        await _keys.EncryptAsync(metadata, dataKey, time.GetUtcNow(), cancellationToken);
        return Seal(store, new OpenedFile(documents, metadata, dataKey, new SopsValueCipher()));
    }

    /// <summary>Decrypts a file and checks its MAC; a file that fails either is refused, and no plaintext leaves this method.</summary>
    public async Task<OpenedFile> OpenAsync(ISopsStore store, byte[] encrypted, bool ignoreMac, CancellationToken cancellationToken)
    {
        var (documents, metadata) = store.LoadEncrypted(encrypted);
        var dataKey = await _keys.DecryptAsync(metadata, cancellationToken);
        var cipher = new SopsValueCipher();
        string computed;
        try
        {
            computed = SopsTreeCrypt.Decrypt(documents, metadata, dataKey, cipher);
        }
        catch (SopsException e) when (e.ExitCode == SopsExitCodes.ErrorDecryptingTree)
        {
            throw new SopsException(SopsExitCodes.ErrorDecryptingTree, $"error decrypting tree: {e.Message}", e);
        }

        if (!ignoreMac)
        {
            var stored = SopsTreeCrypt.DecryptMac(metadata, dataKey, cipher);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(computed)))
            {
                throw new SopsException(SopsExitCodes.MacMismatch, "MAC mismatch: the file's content does not match its MAC (it was changed outside sops)");
            }
        }

        return new OpenedFile(documents, metadata, dataKey, cipher);
    }

    /// <summary>Encrypts the documents again (IVs of unchanged values are reused), with a new lastmodified and MAC.</summary>
    public byte[] Seal(ISopsStore store, OpenedFile file)
    {
        var metadata = file.Metadata;
        metadata.LastModified = GoFormat.Rfc3339(time.GetUtcNow());
        metadata.Version = SopsMetadata.SopsVersion;
        var mac = SopsTreeCrypt.Encrypt(file.Documents, metadata, file.DataKey, file.Cipher);
        metadata.Mac = SopsTreeCrypt.EncryptMac(mac, metadata, file.DataKey, file.Cipher);
        return store.EmitEncrypted(file.Documents, metadata);
    }
}
