using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class CreateLoginProfile(IamContext iam) : LoginProfileOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Input.Str("UserName");
        var password = request.Input.Str("Password");
        Passwords.Enforce(password, await PolicyAsync(request, cancellationToken));
        var profile = new LoginProfile(Passwords.Hash(password), request.Input.OptBool("PasswordResetRequired") ?? false, Iam.EntityTime);
        await Iam.Store.UpdateAsync<IamUser>(Account(request), IamKinds.User, userName,
            user => user.LoginProfile is null ? user with { LoginProfile = profile } : throw IamErrors.EntityAlreadyExists.ToException($"Login Profile for user {userName} already exists."),
            () => IamErrors.NoSuchUser(userName), cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["LoginProfile"] = new JsonObject
            {
                ["UserName"] = userName,
                ["CreateDate"] = JsonValue.Create(profile.CreateDate),
                ["PasswordResetRequired"] = profile.PasswordResetRequired,
            },
        });
    }
}
