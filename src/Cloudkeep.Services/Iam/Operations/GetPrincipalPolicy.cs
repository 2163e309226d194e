using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:GetUserPolicy, GetGroupPolicy, GetRolePolicy.</summary>
public sealed class GetPrincipalPolicy(IamContext iam, PrincipalEntity entity) : PrincipalPolicyOperation(iam, entity, "Get{0}Policy")
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var entityName = EntityName(request);
        var name = request.Input.Str("PolicyName");
        var policies = await Entity.GetAttachmentsAsync(Iam.Store, Account(request), entityName, cancellationToken);
        if (!policies.Inline.TryGetValue(name, out var document))
        {
            throw IamErrors.NoSuchEntity.ToException($"The {Entity.Noun.ToLowerInvariant()} policy with name {name} cannot be found.");
        }

        return new OperationResult(new JsonObject
        {
            [Entity.NameMember] = entityName,
            ["PolicyName"] = name,
            ["PolicyDocument"] = IamOutputs.EncodeDocument(document),
        });
    }
}
