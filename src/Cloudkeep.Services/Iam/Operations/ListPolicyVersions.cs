using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListPolicyVersions(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var policy = await RequirePolicyAsync(request, cancellationToken);
        var (page, truncated, marker) = Paging.Page(policy.Versions, v => v.VersionId.PadLeft(8, '0'), request.Input);
        return new OperationResult(Paging.Result("Versions", page.Reverse().Select(v => IamOutputs.PolicyVersion(policy, v, includeDocument: false)), truncated, marker));
    }
}
