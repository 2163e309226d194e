using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:CancelKeyDeletion. As in AWS, the key comes back Disabled, not Enabled.</summary>
public sealed class CancelKeyDeletion(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "CancelKeyDeletion";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        if (key.KeyState != KmsKeyState.PendingDeletion)
        {
            throw KmsErrors.InvalidState.ToException($"{KmsKeyStore.KeyArn(key)} is not pending deletion.");
        }

        await Store.Repository.SetStateAsync(key.KeyId, KmsKeyState.Disabled, null, cancellationToken);
        return new OperationResult(new JsonObject { ["KeyId"] = KmsKeyStore.KeyArn(key) });
    }
}
