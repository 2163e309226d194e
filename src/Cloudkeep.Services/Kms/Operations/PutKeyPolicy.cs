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

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsPolicyName.Ensure(request.Input);
        var policy = KmsInput.RequiredString(request.Input, "Policy");
        KmsKeyPolicies.Validate(
            policy, KmsKeyStore.KeyArn(key), key.AccountId, request.Caller, KmsInput.Boolean(request.Input, "BypassPolicyLockoutSafetyCheck") == true);
        await Store.Repository.SetPolicyAsync(key.KeyId, policy, cancellationToken);
        Store.Policies.Forget(KmsKeyStore.KeyArn(key), key.PolicyVersion);
        return OperationResult.Empty;
    }
}
