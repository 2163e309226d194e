using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:UntagResource: removes tags by key; keys the key does not have are ignored, as in AWS.</summary>
public sealed class UntagResource(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "UntagResource";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsKeyStore.EnsureNotPendingDeletion(key);
        await Store.Repository.ChangeTagsAsync(key.KeyId, [], KmsInput.StringList(request.Input, "TagKeys"), cancellationToken);
        return OperationResult.Empty;
    }
}
