using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:ChangePassword: an IAM user changes its own password, proving the old one. The new one must
/// meet the account's password policy; a reset requirement is cleared.
/// </summary>
public sealed class ChangePassword(IamContext iam) : LoginProfileOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Caller.UserName ?? throw IamErrors.InvalidInput.ToException("Only IAM users can change their password with ChangePassword.");
        var oldPassword = request.Input.Str("OldPassword");
        var newPassword = request.Input.Str("NewPassword");
        Passwords.Enforce(newPassword, await PolicyAsync(request, cancellationToken));
        var user = await Iam.Store.RequireAsync<IamUser>(Account(request), IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken);
        if (user.LoginProfile is not { } profile || !Passwords.Verify(oldPassword, profile.PasswordHash))
        {
            throw CommonErrors.AccessDenied.ToException("The old password is incorrect.");
        }

        var hash = Passwords.Hash(newPassword);
        await Iam.Store.UpdateAsync<IamUser>(Account(request), IamKinds.User, userName,
            current => current with { LoginProfile = (current.LoginProfile ?? profile) with { PasswordHash = hash, PasswordResetRequired = false } },
            () => IamErrors.NoSuchUser(userName), cancellationToken);
        return OperationResult.Empty;
    }
}
