using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:CreateAlias: a new alias for a key (key id or key ARN) of the same account and region.</summary>
public sealed class CreateAlias(KmsKeyStore store) : AliasTargetOperation(store)
{
    public override string Operation => "CreateAlias";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var aliasName = KmsInput.RequiredString(request.Input, "AliasName");
        KmsAliases.ValidateName(aliasName);
        var key = await TargetAsync(request, cancellationToken);
        KmsKeyStore.EnsureNotPendingDeletion(key);
        var now = Store.Now;
        if (!await Store.Repository.CreateAliasAsync(new KmsAliasRecord(request.Caller.AccountId, request.Region, aliasName, key.KeyId, now, now), cancellationToken))
        {
            throw KmsErrors.AlreadyExists.ToException($"An alias with the name {KmsKeyStore.AliasArn(request.Region, request.Caller.AccountId, aliasName)} already exists");
        }

        return OperationResult.Empty;
    }
}
