using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:ListUserPolicies, ListGroupPolicies, ListRolePolicies: the names of the inline policies.</summary>
public sealed class ListPrincipalPolicies(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "List{0}Policies")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var policies = await Entity.GetAttachmentsAsync(Iam.Store, Account(request), EntityName(request), cancellationToken);
        var (page, truncated, marker) = Paging.Page(policies.Inline.Keys, k => k, request.Input);
        return new OperationResult(Paging.Result("PolicyNames", page.Select(n => (JsonNode)JsonValue.Create(n)), truncated, marker));
    }
}
