using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:UpdateGroup: a new name and/or path; members keep their membership under the new name.</summary>
public sealed class UpdateGroup(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => GroupArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("GroupName");
        var newName = request.Input.OptStr("NewGroupName");
        var newPath = request.Input.OptStr("NewPath") is { } path ? Paging.CheckPath(path) : null;
        var group = await Iam.Store.RequireAsync<IamGroup>(account, IamKinds.Group, name, () => IamErrors.NoSuchGroup(name), cancellationToken);
        var finalName = newName ?? group.GroupName;
        var finalPath = newPath ?? group.Path;
        IamGroup Change(IamGroup g) => g with { GroupName = finalName, Path = finalPath, Arn = IamArns.Group(account, finalPath, finalName) };
        await Iam.Store.UpdateOrRenameAsync<IamGroup>(account, IamKinds.Group, group.GroupName, newName, Change, () => IamErrors.NoSuchGroup(name),
            () => IamErrors.EntityAlreadyExists.ToException($"Group with name {newName} already exists."), cancellationToken);
        if (newName is null || string.Equals(newName, group.GroupName, StringComparison.OrdinalIgnoreCase))
        {
            return OperationResult.Empty;
        }

        foreach (var member in (await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken)).Where(u => u.Groups.Contains(group.GroupName, StringComparer.OrdinalIgnoreCase)))
        {
            await Iam.Store.UpdateAsync<IamUser>(account, IamKinds.User, member.UserName,
                u => u with { Groups = [.. u.Groups.Select(g => string.Equals(g, group.GroupName, StringComparison.OrdinalIgnoreCase) ? finalName : g)] },
                () => IamErrors.NoSuchUser(member.UserName), cancellationToken);
        }

        return OperationResult.Empty;
    }
}
