using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeleteUserPolicy, DeleteGroupPolicy, DeleteRolePolicy.</summary>
public sealed class DeletePrincipalPolicy(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "Delete{0}Policy")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("PolicyName");
        await Entity.UpdateAttachmentsAsync(Iam.Store, Account(request), EntityName(request), policies =>
        {
            if (!policies.Inline.ContainsKey(name))
            {
                throw IamErrors.NoSuchEntity.ToException($"The {Entity.Noun.ToLowerInvariant()} policy with name {name} cannot be found.");
            }

            var inline = new Dictionary<string, string>(policies.Inline, StringComparer.Ordinal);
            inline.Remove(name);
            return policies with { Inline = inline };
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
