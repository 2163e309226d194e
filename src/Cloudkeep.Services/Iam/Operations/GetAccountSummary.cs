using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:GetAccountSummary: the counts and quotas IAM reports for the account.</summary>
public sealed class GetAccountSummary(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var users = await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken);
        var groups = await Iam.Store.ListAsync<IamGroup>(account, IamKinds.Group, cancellationToken);
        var roles = await Iam.Store.ListAsync<IamRole>(account, IamKinds.Role, cancellationToken);
        var policies = await Iam.Store.ListAsync<IamManagedPolicy>(account, IamKinds.Policy, cancellationToken);
        var devices = await Iam.Store.ListAsync<IamMfaDevice>(account, IamKinds.MfaDevice, cancellationToken);
        var rootKeys = await Iam.AccessKeys.ListForOwnerAsync(account, null, cancellationToken);
        var map = new JsonObject
        {
            ["Users"] = users.Count,
            ["UsersQuota"] = 5000,
            ["Groups"] = groups.Count,
            ["GroupsQuota"] = 300,
            ["Roles"] = roles.Count,
            ["RolesQuota"] = 1000,
            ["Policies"] = policies.Count,
            ["PoliciesQuota"] = 1500,
            ["PolicyVersionsInUse"] = users.Sum(u => u.Policies.Managed.Count) + groups.Sum(g => g.Policies.Managed.Count) + roles.Sum(r => r.Policies.Managed.Count),
            ["MFADevices"] = devices.Count,
            ["MFADevicesInUse"] = devices.Count(d => d.UserName is not null),
            ["AccountMFAEnabled"] = devices.Any(d => d.IsRootDevice && d.EnableDate is not null) ? 1 : 0,
            ["AccountAccessKeysPresent"] = rootKeys.Count > 0 ? 1 : 0,
            ["AccessKeysPerUserQuota"] = CreateAccessKey.MaxKeysPerUser,
            ["GroupsPerUserQuota"] = AddUserToGroup.MaxGroupsPerUser,
            ["AttachedPoliciesPerUserQuota"] = 10,
            ["AttachedPoliciesPerGroupQuota"] = 10,
            ["AttachedPoliciesPerRoleQuota"] = 10,
            ["VersionsPerPolicyQuota"] = CreatePolicyVersion.MaxVersions,
            ["PolicySizeQuota"] = 6144,
            ["UserPolicySizeQuota"] = 2048,
            ["GroupPolicySizeQuota"] = 5120,
            ["RolePolicySizeQuota"] = 10240,
            ["AssumeRolePolicySizeQuota"] = 2048,
        };
        return new OperationResult(new JsonObject { ["SummaryMap"] = map });
    }
}
