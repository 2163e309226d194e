using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class SetDefaultPolicyVersion(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var versionId = request.Input.Str("VersionId");
        await UpdatePolicyAsync(request, policy =>
            policy.Versions.Any(v => v.VersionId == versionId)
                ? policy with { DefaultVersionId = versionId, UpdateDate = Iam.EntityTime }
                : throw IamErrors.NoSuchEntity.ToException($"Policy {policy.Arn} version {versionId} does not exist."),
            cancellationToken);
        return OperationResult.Empty;
    }
}
