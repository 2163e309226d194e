using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:ListEntitiesForPolicy: the users, groups and roles of the account a managed policy is attached to.</summary>
public sealed class ListEntitiesForPolicy(IamContext iam) : ManagedPolicyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var policy = await RequirePolicyAsync(request, cancellationToken);
        var filter = request.Input.OptStr("EntityFilter");
        bool Wanted(string kind) => filter is null || filter == kind;
        var users = Wanted("User") ? (await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken)).Where(u => u.Policies.Managed.Contains(policy.Arn)) : [];
        var groups = Wanted("Group") ? (await Iam.Store.ListAsync<IamGroup>(account, IamKinds.Group, cancellationToken)).Where(g => g.Policies.Managed.Contains(policy.Arn)) : [];
        var roles = Wanted("Role") ? (await Iam.Store.ListAsync<IamRole>(account, IamKinds.Role, cancellationToken)).Where(r => r.Policies.Managed.Contains(policy.Arn)) : [];
        return new OperationResult(new JsonObject
        {
            ["PolicyUsers"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["UserName"] = u.UserName, ["UserId"] = u.UserId })]),
            ["PolicyGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["GroupName"] = g.GroupName, ["GroupId"] = g.GroupId })]),
            ["PolicyRoles"] = new JsonArray([.. roles.Select(r => (JsonNode)new JsonObject { ["RoleName"] = r.RoleName, ["RoleId"] = r.RoleId })]),
            ["IsTruncated"] = false,
        });
    }
}
