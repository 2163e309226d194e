using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:DisableKey. A key pending deletion must have its deletion cancelled first (KMSInvalidStateException).</summary>
public sealed class DisableKey(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "DisableKey";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsKeyStore.EnsureNotPendingDeletion(key);
        await Store.Repository.SetStateAsync(key.KeyId, KmsKeyState.Disabled, null, cancellationToken);
        return OperationResult.Empty;
    }
}
