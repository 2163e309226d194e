using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeleteGroup: refused (DeleteConflict) while the group has members or policies.</summary>
public sealed class DeleteGroup(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => GroupArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("GroupName");
        var group = await Iam.Store.RequireAsync<IamGroup>(account, IamKinds.Group, name, () => IamErrors.NoSuchGroup(name), cancellationToken);
        var users = await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken);
        if (users.Any(u => u.Groups.Contains(group.GroupName, StringComparer.OrdinalIgnoreCase)))
        {
            throw IamErrors.DeleteConflict.ToException("Cannot delete entity, must remove users from group first.");
        }

        if (group.Policies.Managed.Count > 0 || group.Policies.Inline.Count > 0)
        {
            throw IamErrors.DeleteConflict.ToException("Cannot delete entity, must delete policies first.");
        }

        await Iam.Store.DeleteAsync(account, IamKinds.Group, name, () => IamErrors.NoSuchGroup(name), cancellationToken);
        return OperationResult.Empty;
    }
}
