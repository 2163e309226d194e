using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:DeleteUser. As in AWS, a user that still has access keys, a password, MFA devices, group
/// memberships or policies is not deleted (DeleteConflict) and nothing changes.
/// </summary>
public sealed class DeleteUser(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("UserName");
        var user = await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken);
        var conflicts = new List<string>();
        if ((await Iam.AccessKeys.ListForOwnerAsync(account, user.UserName, cancellationToken)).Count > 0)
        {
            conflicts.Add("access keys");
        }

        if (user.LoginProfile is not null)
        {
            conflicts.Add("a login profile");
        }

        if (user.Groups.Count > 0)
        {
            conflicts.Add("group memberships");
        }

        if (user.Policies.Managed.Count > 0 || user.Policies.Inline.Count > 0)
        {
            conflicts.Add("attached or inline policies");
        }

        var devices = await Iam.Store.ListAsync<IamMfaDevice>(account, IamKinds.MfaDevice, cancellationToken);
        if (devices.Any(d => string.Equals(d.UserName, user.UserName, StringComparison.OrdinalIgnoreCase)))
        {
            conflicts.Add("MFA devices");
        }

        if (conflicts.Count > 0)
        {
            throw IamErrors.DeleteConflict.ToException($"Cannot delete entity, must remove {string.Join(", ", conflicts)} first.");
        }

        await Iam.Store.DeleteAsync(account, IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken);
        return OperationResult.Empty;
    }
}
