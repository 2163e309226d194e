using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:UpdateAlias: points an existing alias at another key of the same account and region.</summary>
public sealed class UpdateAlias(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "UpdateAlias";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ForKey(request, await TargetAsync(request, cancellationToken));
    }

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

    private Task<KmsKeyRecord> TargetAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Store.ResolveAsync(request, KmsInput.RequiredString(request.Input, "TargetKeyId"), allowAlias: false, cancellationToken);
}
