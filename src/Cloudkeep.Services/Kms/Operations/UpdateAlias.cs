using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:UpdateAlias: points an existing alias at another key of the same account and region.</summary>
public sealed class UpdateAlias(KmsKeyStore store) : AliasTargetOperation(store)
{
    public override string Operation => "UpdateAlias";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var aliasName = KmsInput.RequiredString(request.Input, "AliasName");
        KmsAliases.ValidateName(aliasName);
        var alias = await KmsAliases.GetAsync(Store, request, aliasName, cancellationToken);
        var key = await TargetAsync(request, cancellationToken);
        KmsKeyStore.EnsureNotPendingDeletion(key);
        await Store.Repository.UpdateAliasAsync(alias.AccountId, alias.Region, alias.AliasName, key.KeyId, Store.Now, cancellationToken);
        return OperationResult.Empty;
    }
}
