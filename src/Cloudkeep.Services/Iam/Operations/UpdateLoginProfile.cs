using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class UpdateLoginProfile(IamContext iam) : LoginProfileOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Input.Str("UserName");
        var password = request.Input.OptStr("Password");
        if (password is not null)
        {
            Passwords.Enforce(password, await PolicyAsync(request, cancellationToken));
        }

        var hash = password is null ? null : Passwords.Hash(password);
        var reset = request.Input.OptBool("PasswordResetRequired");
        await Iam.Store.UpdateAsync<IamUser>(Account(request), IamKinds.User, userName, user =>
        {
            var profile = user.LoginProfile ?? throw NoProfile(userName);
            return user with { LoginProfile = profile with { PasswordHash = hash ?? profile.PasswordHash, PasswordResetRequired = reset ?? profile.PasswordResetRequired } };
        }, () => IamErrors.NoSuchUser(userName), cancellationToken);
        return OperationResult.Empty;
    }
}
