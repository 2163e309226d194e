using Amazon.Runtime;
using Cloudkeep.Secrets.Keys;

namespace Cloudkeep.Secrets;

/// <summary>
/// Gets a file's data key from the first master key that can give it, in sops's default order
/// (age, then PGP, then the cloud keys), and encrypts a data key to every master key.
/// </summary>
internal sealed class DataKeyService(SecretsEnvironment environment, TimeProvider time)
{
    private readonly KmsKeyService _kms = new(environment);
    private readonly PgpKeyService _pgp = new(environment, time);
    private readonly AgeKeyService _age = new(environment);

    public async Task<byte[]> DecryptAsync(SopsMetadata metadata, CancellationToken cancellationToken)
    {
        if (metadata.KeyGroups.Count > 1)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "files with several key_groups (Shamir secret sharing) are not supported");
        }

        var errors = new List<string>();
        foreach (var key in metadata.KeyGroups[0].OrderBy(Priority))
        {
            try
            {
                var dataKey = key switch
                {
                    AgeMasterKey age => _age.Decrypt(age),
                    PgpMasterKey pgp => await _pgp.DecryptAsync(pgp, cancellationToken),
                    KmsMasterKey kms => await _kms.DecryptAsync(kms, cancellationToken),
                    _ => throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"{key.Name}s are not supported by cloudkeep secrets"),
                };
                if (dataKey.Length != 32)
                {
                    throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"the data key is {dataKey.Length} bytes, not 32");
                }

                return dataKey;
            }
            catch (SopsException e)
            {
                errors.Add($"  {key.Name}: {e.Message}");
            }
            catch (AmazonServiceException e)
            {
                errors.Add($"  {key.Name}: {e.ErrorCode}: {e.Message}");
            }
            catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException)
            {
                errors.Add($"  {key.Name}: {e.Message}");
            }
        }

        throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "failed to get the data key required to decrypt the file; no master key could decrypt it:\n" + string.Join('\n', errors));
    }

    /// <summary>Encrypts the data key to every master key that has no encrypted copy yet (all of them when <paramref name="all"/>).</summary>
    public async Task EncryptAsync(SopsMetadata metadata, byte[] dataKey, DateTimeOffset now, CancellationToken cancellationToken, bool all = true)
    {
        foreach (var key in metadata.AllKeys.Where(k => all || string.IsNullOrEmpty(k.Enc)))
        {
            try
            {
                switch (key)
                {
                    case AgeMasterKey age:
                        AgeKeyService.Encrypt(age, dataKey);
                        break;
                    case PgpMasterKey pgp:
                        await _pgp.EncryptAsync(pgp, dataKey, cancellationToken);
                        break;
                    case KmsMasterKey kms:
                        await _kms.EncryptAsync(kms, dataKey, cancellationToken);
                        break;
                    default:
                        throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"{key.Name}s are not supported by cloudkeep secrets");
                }
            }
            catch (AmazonServiceException e)
            {
                throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"could not encrypt the data key with {key.Name}: {e.ErrorCode}: {e.Message}", e);
            }
            catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException)
            {
                throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"could not encrypt the data key with {key.Name}: {e.Message}", e);
            }

            key.CreatedAt = GoFormat.Rfc3339(now);
        }
    }

    private static int Priority(MasterKey key) => key switch
    {
        AgeMasterKey => 0,
        PgpMasterKey => 1,
        _ => 2,
    };
}
