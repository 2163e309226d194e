using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:DeleteAlias. The key it pointed at is untouched.</summary>
public sealed class DeleteAlias(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "DeleteAlias";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var aliasName = KmsInput.RequiredString(request.Input, "AliasName");
        KmsAliases.ValidateName(aliasName);
        var key = await Store.ResolveAsync(request, aliasName, allowAlias: true, cancellationToken);
        return ForKey(request, key);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var aliasName = KmsInput.RequiredString(request.Input, "AliasName");
        KmsAliases.ValidateName(aliasName);
        if (!await Store.Repository.DeleteAliasAsync(request.Caller.AccountId, request.Region, aliasName, cancellationToken))
        {
            _ = await KmsAliases.GetAsync(Store, request, aliasName, cancellationToken);
        }

        return OperationResult.Empty;
    }
}
