using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class GetLoginProfile(IamContext iam) : LoginProfileOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Input.OptStr("UserName") ?? request.Caller.UserName ?? "";
        var user = await Iam.Store.RequireAsync<IamUser>(Account(request), IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken);
        var profile = user.LoginProfile ?? throw NoProfile(userName);
        return new OperationResult(new JsonObject
        {
            ["LoginProfile"] = new JsonObject
            {
                ["UserName"] = user.UserName,
                ["CreateDate"] = JsonValue.Create(profile.CreateDate),
                ["PasswordResetRequired"] = profile.PasswordResetRequired,
            },
        });
    }
}
