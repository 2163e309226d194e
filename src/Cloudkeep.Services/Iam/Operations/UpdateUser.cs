using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:UpdateUser: a new name and/or path. The user's document is renamed in one statement (a taken
/// name is EntityAlreadyExists and changes nothing); its access keys and MFA devices follow it.
/// </summary>
public sealed class UpdateUser(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("UserName");
        var newName = request.Input.OptStr("NewUserName");
        var newPath = request.Input.OptStr("NewPath") is { } path ? Paging.CheckPath(path) : null;
        var user = await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken);
        var finalName = newName ?? user.UserName;
        var finalPath = newPath ?? user.Path;
        IamUser Change(IamUser u) => u with { UserName = finalName, Path = finalPath, Arn = IamArns.User(account, finalPath, finalName) };
        await Iam.Store.UpdateOrRenameAsync<IamUser>(account, IamKinds.User, user.UserName, newName, Change, () => IamErrors.NoSuchUser(name),
            () => IamErrors.EntityAlreadyExists.ToException($"User with name {newName} already exists."), cancellationToken);
        if (newName is null || string.Equals(newName, user.UserName, StringComparison.OrdinalIgnoreCase))
        {
            return OperationResult.Empty;
        }

        foreach (var keyId in await Iam.AccessKeys.RenameOwnerAsync(account, user.UserName, finalName, cancellationToken))
        {
            Iam.Credentials.Invalidate(keyId);
        }

        foreach (var device in (await Iam.Store.ListAsync<IamMfaDevice>(account, IamKinds.MfaDevice, cancellationToken)).Where(d => string.Equals(d.UserName, user.UserName, StringComparison.OrdinalIgnoreCase)))
        {
            await Iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, device.DeviceName, d => d with { UserName = finalName }, () => IamErrors.NoSuchEntity.ToException(), cancellationToken);
        }

        return OperationResult.Empty;
    }
}
