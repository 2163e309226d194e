using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:ListAttachedUserPolicies, ListAttachedGroupPolicies, ListAttachedRolePolicies.</summary>
public sealed class ListAttachedPrincipalPolicies(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "ListAttached{0}Policies")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var policies = await Entity.GetAttachmentsAsync(Iam.Store, Account(request), EntityName(request), cancellationToken);
        var prefix = request.Input.OptStr("PathPrefix");
        var arns = policies.Managed.Where(a => prefix is null || a.Split(':', 6)[5]["policy".Length..].StartsWith(prefix, StringComparison.Ordinal));
        var (page, truncated, marker) = Paging.Page(arns, a => a, request.Input);
        return new OperationResult(Paging.Result("AttachedPolicies", page.Select(IamOutputs.AttachedPolicy), truncated, marker));
    }
}
