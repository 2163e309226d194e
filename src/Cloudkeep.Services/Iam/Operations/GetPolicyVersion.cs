using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class GetPolicyVersion(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var policy = await RequirePolicyAsync(request, cancellationToken);
        var versionId = request.Input.Str("VersionId");
        var version = policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw IamErrors.NoSuchEntity.ToException($"Policy {policy.Arn} version {versionId} does not exist or is not attachable.");
        return new OperationResult(new JsonObject { ["PolicyVersion"] = IamOutputs.PolicyVersion(policy, version) });
    }
}
