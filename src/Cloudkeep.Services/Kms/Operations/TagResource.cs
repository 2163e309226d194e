using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:TagResource: adds tags or replaces their values.</summary>
public sealed class TagResource(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "TagResource";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var tags = KmsTags.Validate(KmsInput.Tags(request.Input, "Tags"));
        KmsKeyStore.EnsureNotPendingDeletion(key);
        var existing = await Store.Repository.GetTagsAsync(key.KeyId, cancellationToken);
        var total = existing.Select(t => t.Key).Union(tags.Select(t => t.Key), StringComparer.Ordinal).Count();
        if (total > KmsTags.MaxTags)
        {
            throw KmsErrors.LimitExceeded.ToException($"A KMS key can have at most {KmsTags.MaxTags} tags.");
        }

        await Store.Repository.ChangeTagsAsync(key.KeyId, tags, [], cancellationToken);
        return OperationResult.Empty;
    }
}
