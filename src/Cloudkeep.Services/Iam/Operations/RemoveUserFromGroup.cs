using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class RemoveUserFromGroup(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => GroupArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var groupName = request.Input.Str("GroupName");
        var userName = request.Input.Str("UserName");
        await Iam.Store.RequireAsync<IamGroup>(account, IamKinds.Group, groupName, () => IamErrors.NoSuchGroup(groupName), cancellationToken);
        await Iam.Store.UpdateAsync<IamUser>(account, IamKinds.User, userName, user =>
            user.Groups.Contains(groupName, StringComparer.OrdinalIgnoreCase)
                ? user with { Groups = [.. user.Groups.Where(g => !string.Equals(g, groupName, StringComparison.OrdinalIgnoreCase))] }
                : throw IamErrors.NoSuchEntity.ToException($"User {userName} is not in group {groupName}."),
            () => IamErrors.NoSuchUser(userName), cancellationToken);
        return OperationResult.Empty;
    }
}
