using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:PutUserPolicy, PutGroupPolicy, PutRolePolicy: inline policies, validated with the limits of their kind.</summary>
public sealed class PutPrincipalPolicy(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "Put{0}Policy")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("PolicyName");
        var document = request.Input.Str("PolicyDocument");
        IamContext.Validate(document, Entity.InlineKind);
        await Entity.UpdateAttachmentsAsync(Iam.Store, Account(request), EntityName(request), policies =>
        {
            var inline = new Dictionary<string, string>(policies.Inline, StringComparer.Ordinal) { [name] = document };
            return policies with { Inline = inline };
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
