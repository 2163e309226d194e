using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms;

/// <summary>What every KMS operation shares: the service name, the store, and how it describes its authorization target.</summary>
public abstract class KmsOperation : IOperationHandler
{
    protected KmsOperation(KmsKeyStore store)
    {
        Store = store;
    }

    public string Service => "kms";

    public abstract string Operation { get; }

    protected KmsKeyStore Store { get; }

    protected string Action => "kms:" + Operation;

    public abstract ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken);

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>Operations on no particular key (CreateKey, ListKeys, ListAliases, GenerateRandom): resource "*", no key policy.</summary>
    protected AuthorizationTarget ForAccount(OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AuthorizationTarget(Action, ["*"], CallerAccount(request));
    }

    /// <summary>
    /// An operation on a key: the key's ARN, its compiled key policy (which AWS requires to allow:
    /// "no IAM policy gives access to a KMS key unless the key policy allows it"), its account,
    /// and the kms: condition keys of the request.
    /// </summary>
    protected AuthorizationTarget ForKey(OperationRequest request, KmsKeyRecord key, IReadOnlyDictionary<string, string>? encryptionContext = null, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Store.TargetFor(key, action ?? Action, request.Caller.AccountId, encryptionContext);
    }

    private static Dictionary<string, IReadOnlyList<string>> CallerAccount(OperationRequest request) =>
        new(StringComparer.Ordinal) { ["kms:CallerAccount"] = [request.Caller.AccountId] };
}
