using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeleteRole: refused (DeleteConflict) while policies are attached or inline.</summary>
public sealed class DeleteRole(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("RoleName");
        var role = await Iam.Store.RequireAsync<IamRole>(account, IamKinds.Role, name, () => IamErrors.NoSuchRole(name), cancellationToken);
        if (role.Policies.Managed.Count > 0 || role.Policies.Inline.Count > 0)
        {
            throw IamErrors.DeleteConflict.ToException("Cannot delete entity, must detach all policies first.");
        }

        await Iam.Store.DeleteAsync(account, IamKinds.Role, name, () => IamErrors.NoSuchRole(name), cancellationToken);
        return OperationResult.Empty;
    }
}
