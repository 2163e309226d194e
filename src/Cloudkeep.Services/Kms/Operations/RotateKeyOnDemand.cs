using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:RotateKeyOnDemand: a new material version now, whether or not automatic rotation is enabled.</summary>
public sealed class RotateKeyOnDemand(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "RotateKeyOnDemand";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsKeyStore.EnsureUsable(key);
        await Store.RotateAsync(key, cancellationToken);
        return new OperationResult(new JsonObject { ["KeyId"] = KmsKeyStore.KeyArn(key) });
    }
}
