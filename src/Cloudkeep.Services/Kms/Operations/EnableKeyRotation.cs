using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:EnableKeyRotation: a new material version every RotationPeriodInDays (90-2560, default 365).
/// Rotation happens lazily, on the key's first use after the date.
/// </summary>
public sealed class EnableKeyRotation(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "EnableKeyRotation";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsKeyStore.EnsureUsable(key);
        var days = (int)(KmsInput.Integer(request.Input, "RotationPeriodInDays") ?? KmsKeyStore.DefaultRotationPeriodDays);
        await Store.Repository.SetRotationAsync(key.KeyId, enabled: true, days, Store.Now.AddDays(days), cancellationToken);
        return OperationResult.Empty;
    }
}
