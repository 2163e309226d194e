using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms;

/// <summary>
/// An operation on the one key its KeyId member names. Operations that accept aliases (the
/// cryptographic ones and DescribeKey) say so; the management operations take a key id or key ARN only.
/// </summary>
public abstract class KmsKeyOperation : KmsOperation
{
    protected KmsKeyOperation(KmsKeyStore store)
        : base(store)
    {
    }

    protected virtual bool AcceptsAlias => false;

    /// <summary>Whether naming a predefined AWS alias (alias/aws/s3) that names no key yet creates its AWS managed key (DescribeKey does).</summary>
    protected virtual bool CreatesAwsManagedKeys => false;

    /// <summary>The input member holding the request's encryption context, for the kms:EncryptionContext condition keys.</summary>
    protected virtual string? EncryptionContextMember => null;

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = await ResolveAsync(request, cancellationToken);
        request.Facts.Set(key);
        var context = EncryptionContextMember is { } member ? KmsInput.Map(request.Input, member) : null;
        return Describe(request, key, ForKey(request, key, context));
    }

    /// <summary>The target of a request on this key; operations that need more (the lockout check) add it here.</summary>
    protected virtual AuthorizationTarget Describe(OperationRequest request, KmsKeyRecord key, AuthorizationTarget target) => target;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Facts.Find<KmsKeyRecord>() ?? await ResolveAsync(request, cancellationToken);
        return await HandleAsync(request, key, cancellationToken);
    }

    protected abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken);

    protected Task<KmsKeyRecord> ResolveAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Store.ResolveAsync(request, KmsInput.RequiredString(request.Input, "KeyId"), AcceptsAlias, cancellationToken, CreatesAwsManagedKeys);
}
