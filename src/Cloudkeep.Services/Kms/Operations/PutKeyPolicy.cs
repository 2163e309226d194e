using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:PutKeyPolicy: replaces the "default" policy after the policy engine validated it (KMS key policy
/// rules, 32 KB) and the lockout safety check passed (or BypassPolicyLockoutSafetyCheck).
/// </summary>
public sealed class PutKeyPolicy(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "PutKeyPolicy";

    protected override AuthorizationTarget Describe(OperationRequest request, KmsKeyRecord key, AuthorizationTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var lockout = KmsKeyPolicies.LockoutCheck(
            KmsInput.String(request.Input, "Policy"), KmsKeyStore.KeyArn(key), key.AccountId, request.Caller.AccountId, KmsInput.Boolean(request.Input, "BypassPolicyLockoutSafetyCheck") == true);
        return lockout is null ? target : target with { AlsoRequired = [.. target.AlsoRequired, lockout] };
    }

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsPolicyName.Ensure(request.Input);
        var policy = KmsInput.RequiredString(request.Input, "Policy");
        KmsKeyPolicies.Parse(policy, KmsKeyStore.KeyArn(key));
        await Store.Repository.SetPolicyAsync(key.KeyId, policy, cancellationToken);
        Store.Policies.Forget(KmsKeyStore.KeyArn(key), key.PolicyVersion);
        return OperationResult.Empty;
    }
}
