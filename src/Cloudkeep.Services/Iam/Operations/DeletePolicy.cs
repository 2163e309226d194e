using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeletePolicy: refused while attached or while it has versions besides the default, as AWS does.</summary>
public sealed class DeletePolicy(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var arn = request.Input.Str("PolicyArn");
        if (!IamArns.TryParsePolicyArn(arn, out var owner, out var name) || owner != account)
        {
            throw IamErrors.NoSuchPolicy(arn);
        }

        var policy = await RequirePolicyAsync(request, cancellationToken);
        if (await AttachmentCountAsync(account, arn, cancellationToken) > 0)
        {
            throw IamErrors.DeleteConflict.ToException("Cannot delete a policy attached to entities.");
        }

        if (policy.Versions.Count > 1)
        {
            throw IamErrors.DeleteConflict.ToException("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        }

        await Iam.Store.DeleteAsync(account, IamKinds.Policy, name, () => IamErrors.NoSuchPolicy(arn), cancellationToken);
        return OperationResult.Empty;
    }
}
