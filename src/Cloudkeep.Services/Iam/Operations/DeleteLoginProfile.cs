using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class DeleteLoginProfile(IamContext iam) : LoginProfileOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Input.Str("UserName");
        await Iam.Store.UpdateAsync<IamUser>(Account(request), IamKinds.User, userName,
            user => user.LoginProfile is null ? throw NoProfile(userName) : user with { LoginProfile = null },
            () => IamErrors.NoSuchUser(userName), cancellationToken);
        return OperationResult.Empty;
    }
}
