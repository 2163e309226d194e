using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:GetGroup: the group and its members (paginated like the other lists).</summary>
public sealed class GetGroup(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => GroupArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("GroupName");
        var group = await Iam.Store.RequireAsync<IamGroup>(account, IamKinds.Group, name, () => IamErrors.NoSuchGroup(name), cancellationToken);
        var members = (await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken))
            .Where(u => u.Groups.Contains(group.GroupName, StringComparer.OrdinalIgnoreCase));
        var (page, truncated, marker) = Paging.Page(members, u => u.UserName.ToUpperInvariant(), request.Input);
        var result = Paging.Result("Users", page.Select(IamOutputs.User), truncated, marker);
        result["Group"] = IamOutputs.Group(group);
        return new OperationResult(result);
    }
}
