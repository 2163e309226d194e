using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>CreateAlias and UpdateAlias: both act on the key named by TargetKeyId (a key id or key ARN, never an alias).</summary>
public abstract class AliasTargetOperation(KmsKeyStore store) : KmsOperation(store)
{
    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ForKey(request, await TargetAsync(request, cancellationToken));
    }

    protected Task<KmsKeyRecord> TargetAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Store.ResolveAsync(request, KmsInput.RequiredString(request.Input, "TargetKeyId"), allowAlias: false, cancellationToken);
}
