using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:AttachUserPolicy, AttachGroupPolicy, AttachRolePolicy.</summary>
public sealed class AttachPrincipalPolicy(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "Attach{0}Policy")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Input.Str("PolicyArn");
        if (await Iam.Store.GetManagedPolicyAsync(arn, cancellationToken) is null)
        {
            throw IamErrors.NoSuchPolicy(arn);
        }

        await Entity.UpdateAttachmentsAsync(Iam.Store, Account(request), EntityName(request), policies =>
        {
            if (policies.Managed.Contains(arn, StringComparer.Ordinal))
            {
                return policies;
            }

            if (policies.Managed.Count >= Entity.MaxManaged)
            {
                throw IamErrors.LimitExceeded.ToException($"Cannot exceed quota for PoliciesPer{Entity.Noun}: {Entity.MaxManaged}");
            }

            return policies with { Managed = [.. policies.Managed, arn] };
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
