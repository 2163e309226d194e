using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class CreateUser(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IamArns.User(Account(request), Paging.CheckPath(request.Input.OptStr("Path")), request.Input.Str("UserName")));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("UserName");
        var path = Paging.CheckPath(request.Input.OptStr("Path"));
        var boundary = request.Input.OptStr("PermissionsBoundary");
        if (boundary is not null && await Iam.Store.GetManagedPolicyAsync(boundary, cancellationToken) is null)
        {
            throw IamErrors.NoSuchPolicy(boundary);
        }

        var user = new IamUser(name, AwsIds.NewUniqueId(AwsIds.UserPrefix), path, IamArns.User(account, path, name), Iam.EntityTime,
            TagInputs.Read(request.Input), boundary, [], PolicyAttachments.None, null);
        await Iam.Store.InsertAsync(account, IamKinds.User, name, user.UserId, user,
            () => IamErrors.EntityAlreadyExists.ToException($"User with name {name} already exists."), cancellationToken);
        return new OperationResult(new JsonObject { ["User"] = IamOutputs.User(user) });
    }
}
