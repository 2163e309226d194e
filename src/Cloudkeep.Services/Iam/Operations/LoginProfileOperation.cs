using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>An operation on a user's console password (login profile).</summary>
public abstract class LoginProfileOperation(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    protected Task<PasswordPolicy?> PolicyAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Iam.Store.GetAsync<PasswordPolicy>(Account(request), IamKinds.AccountSettings, UpdateAccountPasswordPolicy.SettingName, cancellationToken);

    protected static Core.Errors.AwsException NoProfile(string userName) =>
        IamErrors.NoSuchEntity.ToException($"Login Profile for User {userName} cannot be found.");
}
