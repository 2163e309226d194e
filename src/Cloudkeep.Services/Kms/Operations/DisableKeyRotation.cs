using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:DisableKeyRotation. Material versions made so far stay, so their ciphertexts still decrypt.</summary>
public sealed class DisableKeyRotation(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "DisableKeyRotation";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsKeyStore.EnsureUsable(key);
        await Store.Repository.SetRotationAsync(key.KeyId, enabled: false, null, null, cancellationToken);
        return OperationResult.Empty;
    }
}
