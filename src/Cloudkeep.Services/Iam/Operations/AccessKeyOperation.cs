using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>An operation on the access keys of a user (UserName, or the caller itself).</summary>
public abstract class AccessKeyOperation(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    protected async Task<(string Account, string? UserName)> OwnerAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var userName = request.Input.OptStr("UserName") ?? request.Caller.UserName;
        if (userName is not null)
        {
            var user = await Iam.Store.RequireAsync<Model.IamUser>(account, Model.IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken);
            userName = user.UserName;
        }

        return (account, userName);
    }

    protected async Task<AccessKeyRecord> RequireKeyAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (account, userName) = await OwnerAsync(request, cancellationToken);
        var keyId = request.Input.Str("AccessKeyId");
        var key = await Iam.AccessKeys.GetAsync(keyId, cancellationToken);
        if (key is null || key.AccountId != account || !string.Equals(key.UserName, userName, StringComparison.OrdinalIgnoreCase))
        {
            throw IamErrors.NoSuchEntity.ToException($"The Access Key with id {keyId} cannot be found.");
        }

        return key;
    }
}
