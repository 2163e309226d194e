using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListGroupsForUser(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("UserName");
        var user = await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken);
        var groups = new List<IamGroup>();
        foreach (var groupName in user.Groups)
        {
            if (await Iam.Store.GetAsync<IamGroup>(account, IamKinds.Group, groupName, cancellationToken) is { } group)
            {
                groups.Add(group);
            }
        }

        var (page, truncated, marker) = Paging.Page(groups, g => g.GroupName.ToUpperInvariant(), request.Input);
        return new OperationResult(Paging.Result("Groups", page.Select(IamOutputs.Group), truncated, marker));
    }
}
