using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:GetAccountAuthorizationDetails: every user, group, role and customer managed policy of the
/// account with their policies, in one answer (Filter narrows the entity types). Policy documents
/// are URL-encoded, as everywhere in IAM.
/// </summary>
public sealed class GetAccountAuthorizationDetails(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var filter = request.Input.OptArray("Filter").Strings().ToHashSet();
        bool Wanted(string type) => filter.Count == 0 || filter.Contains(type);
        var output = new JsonObject { ["IsTruncated"] = false };
        var users = await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken);
        var groups = await Iam.Store.ListAsync<IamGroup>(account, IamKinds.Group, cancellationToken);
        var roles = await Iam.Store.ListAsync<IamRole>(account, IamKinds.Role, cancellationToken);
        if (Wanted("User"))
        {
            output["UserDetailList"] = new JsonArray([.. users.Select(u =>
            {
                var item = IamOutputs.User(u);
                item["UserPolicyList"] = Inline(u.Policies);
                item["GroupList"] = new JsonArray([.. u.Groups.Select(g => (JsonNode)JsonValue.Create(g))]);
                item["AttachedManagedPolicies"] = Attached(u.Policies);
                return (JsonNode)item;
            })]);
        }

        if (Wanted("Group"))
        {
            output["GroupDetailList"] = new JsonArray([.. groups.Select(g =>
            {
                var item = IamOutputs.Group(g);
                item["GroupPolicyList"] = Inline(g.Policies);
                item["AttachedManagedPolicies"] = Attached(g.Policies);
                return (JsonNode)item;
            })]);
        }

        if (Wanted("Role"))
        {
            output["RoleDetailList"] = new JsonArray([.. roles.Select(r =>
            {
                var item = IamOutputs.Role(r);
                item.Remove("MaxSessionDuration");
                item.Remove("Description");
                item["InstanceProfileList"] = new JsonArray();
                item["RolePolicyList"] = Inline(r.Policies);
                item["AttachedManagedPolicies"] = Attached(r.Policies);
                return (JsonNode)item;
            })]);
        }

        if (Wanted("LocalManagedPolicy") || Wanted("AWSManagedPolicy"))
        {
            var attached = users.SelectMany(u => u.Policies.Managed).Concat(groups.SelectMany(g => g.Policies.Managed)).Concat(roles.SelectMany(r => r.Policies.Managed))
                .GroupBy(a => a, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var policies = new List<IamManagedPolicy>();
            if (Wanted("LocalManagedPolicy"))
            {
                policies.AddRange(await Iam.Store.ListAsync<IamManagedPolicy>(account, IamKinds.Policy, cancellationToken));
            }

            if (Wanted("AWSManagedPolicy"))
            {
                policies.AddRange(AwsManagedPolicies.All.Where(p => attached.ContainsKey(p.Arn)));
            }

            output["Policies"] = new JsonArray([.. policies.Select(p =>
            {
                var item = IamOutputs.Policy(p, attached.GetValueOrDefault(p.Arn));
                item.Remove("Tags");
                item["PolicyVersionList"] = new JsonArray([.. p.Versions.Select(v => (JsonNode)IamOutputs.PolicyVersion(p, v))]);
                return (JsonNode)item;
            })]);
        }

        return new OperationResult(output);
    }

    private static JsonArray Inline(PolicyAttachments policies) =>
        new([.. policies.Inline.Select(p => (JsonNode)new JsonObject { ["PolicyName"] = p.Key, ["PolicyDocument"] = IamOutputs.EncodeDocument(p.Value) })]);

    private static JsonArray Attached(PolicyAttachments policies) =>
        new([.. policies.Managed.Select(a => (JsonNode)IamOutputs.AttachedPolicy(a))]);
}
