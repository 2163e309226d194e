using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeletePolicyVersion: the default version cannot be deleted (DeleteConflict).</summary>
public sealed class DeletePolicyVersion(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var versionId = request.Input.Str("VersionId");
        await UpdatePolicyAsync(request, policy =>
        {
            if (policy.DefaultVersionId == versionId)
            {
                throw IamErrors.DeleteConflict.ToException("Cannot delete the default version of a policy.");
            }

            return policy.Versions.Any(v => v.VersionId == versionId)
                ? policy with { Versions = [.. policy.Versions.Where(v => v.VersionId != versionId)] }
                : throw IamErrors.NoSuchEntity.ToException($"Policy {policy.Arn} version {versionId} does not exist.");
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
