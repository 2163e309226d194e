using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DetachUserPolicy, DetachGroupPolicy, DetachRolePolicy.</summary>
public sealed class DetachPrincipalPolicy(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "Detach{0}Policy")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Input.Str("PolicyArn");
        await Entity.UpdateAttachmentsAsync(Iam.Store, Account(request), EntityName(request), policies =>
            policies.Managed.Contains(arn, StringComparer.Ordinal)
                ? policies with { Managed = [.. policies.Managed.Where(a => a != arn)] }
                : throw IamErrors.NoSuchEntity.ToException($"Policy {arn} was not found."),
            cancellationToken);
        return OperationResult.Empty;
    }
}
