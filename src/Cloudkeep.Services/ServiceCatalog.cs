using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Kms;
using Cloudkeep.Services.Kms.Operations;
using Cloudkeep.Services.Sts.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services;

/// <summary>Every operation handler the services implement; the server registers exactly these.</summary>
public static class ServiceCatalog
{
    public static IReadOnlyList<IOperationHandler> CreateHandlers(IMetadataStore store, SecretBox secrets, TimeProvider time)
    {
        var kms = new KmsKeyStore(new KmsKeyRepository(store), secrets, time);
        return
        [
            new GetCallerIdentity(),

            new CreateKey(kms),
            new DescribeKey(kms),
            new ListKeys(kms),
            new EnableKey(kms),
            new DisableKey(kms),
            new ScheduleKeyDeletion(kms),
            new CancelKeyDeletion(kms),
            new CreateAlias(kms),
            new UpdateAlias(kms),
            new DeleteAlias(kms),
            new ListAliases(kms),
            new Encrypt(kms),
            new Decrypt(kms),
            new ReEncrypt(kms),
            new GenerateDataKey(kms),
            new GenerateDataKeyWithoutPlaintext(kms),
            new GenerateRandom(kms),
            new GetKeyPolicy(kms),
            new PutKeyPolicy(kms),
            new ListKeyPolicies(kms),
            new EnableKeyRotation(kms),
            new DisableKeyRotation(kms),
            new GetKeyRotationStatus(kms),
            new RotateKeyOnDemand(kms),
            new ListResourceTags(kms),
            new TagResource(kms),
            new UntagResource(kms),
        ];
    }
}
