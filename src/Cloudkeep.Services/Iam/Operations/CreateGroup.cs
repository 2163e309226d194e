using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class CreateGroup(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IamArns.Group(Account(request), Paging.CheckPath(request.Input.OptStr("Path")), request.Input.Str("GroupName")));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("GroupName");
        var path = Paging.CheckPath(request.Input.OptStr("Path"));
        var group = new IamGroup(name, AwsIds.NewUniqueId(AwsIds.GroupPrefix), path, IamArns.Group(account, path, name), Iam.EntityTime, PolicyAttachments.None);
        await Iam.Store.InsertAsync(account, IamKinds.Group, name, group.GroupId, group,
            () => IamErrors.EntityAlreadyExists.ToException($"Group with name {name} already exists."), cancellationToken);
        return new OperationResult(new JsonObject { ["Group"] = IamOutputs.Group(group) });
    }
}
