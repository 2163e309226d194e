using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:GetKeyPolicy. A key has one policy, named "default" (PolicyName may be omitted).</summary>
public sealed class GetKeyPolicy(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "GetKeyPolicy";

    protected override ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        KmsPolicyName.Ensure(request.Input);
        return ValueTask.FromResult(new OperationResult(new JsonObject { ["Policy"] = key.Policy, ["PolicyName"] = KmsKeyPolicies.DefaultPolicyName }));
    }
}
