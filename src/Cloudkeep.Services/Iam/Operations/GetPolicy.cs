using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class GetPolicy(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var policy = await RequirePolicyAsync(request, cancellationToken);
        var count = await AttachmentCountAsync(Account(request), policy.Arn, cancellationToken);
        return new OperationResult(new JsonObject { ["Policy"] = IamOutputs.Policy(policy, count) });
    }
}
