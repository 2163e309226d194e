using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:PutUserPermissionsBoundary, DeleteUserPermissionsBoundary and the same for roles.</summary>
public sealed class PermissionsBoundary(IamContext iam, bool user, bool put) : IamOperation(iam)
{
    public override string Operation => (put ? "Put" : "Delete") + (user ? "User" : "Role") + "PermissionsBoundary";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        user ? UserArnAsync(request, "UserName", cancellationToken) : RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        string? boundary = null;
        if (put)
        {
            boundary = request.Input.Str("PermissionsBoundary");
            if (await Iam.Store.GetManagedPolicyAsync(boundary, cancellationToken) is null)
            {
                throw IamErrors.NoSuchPolicy(boundary);
            }
        }

        if (user)
        {
            var name = request.Input.Str("UserName");
            await Iam.Store.UpdateAsync<IamUser>(account, IamKinds.User, name, u => u with { PermissionsBoundary = boundary }, () => IamErrors.NoSuchUser(name), cancellationToken);
        }
        else
        {
            var name = request.Input.Str("RoleName");
            await Iam.Store.UpdateAsync<IamRole>(account, IamKinds.Role, name, r => r with { PermissionsBoundary = boundary }, () => IamErrors.NoSuchRole(name), cancellationToken);
        }

        return OperationResult.Empty;
    }
}
