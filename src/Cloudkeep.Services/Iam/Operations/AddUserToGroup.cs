using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:AddUserToGroup; the action is checked against the group's ARN, as in AWS.</summary>
public sealed class AddUserToGroup(IamContext iam) : IamOperation(iam)
{
    public const int MaxGroupsPerUser = 10;

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => GroupArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var groupName = request.Input.Str("GroupName");
        var userName = request.Input.Str("UserName");
        var group = await Iam.Store.RequireAsync<IamGroup>(account, IamKinds.Group, groupName, () => IamErrors.NoSuchGroup(groupName), cancellationToken);
        await Iam.Store.UpdateAsync<IamUser>(account, IamKinds.User, userName, user =>
        {
            if (user.Groups.Contains(group.GroupName, StringComparer.OrdinalIgnoreCase))
            {
                return user;
            }

            if (user.Groups.Count >= MaxGroupsPerUser)
            {
                throw IamErrors.LimitExceeded.ToException($"Cannot exceed quota for GroupsPerUser: {MaxGroupsPerUser}");
            }

            return user with { Groups = [.. user.Groups, group.GroupName] };
        }, () => IamErrors.NoSuchUser(userName), cancellationToken);
        return OperationResult.Empty;
    }
}
