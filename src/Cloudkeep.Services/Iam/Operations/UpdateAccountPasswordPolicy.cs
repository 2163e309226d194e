using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:UpdateAccountPasswordPolicy: omitted members take AWS's defaults (6 characters, nothing required).</summary>
public sealed class UpdateAccountPasswordPolicy(IamContext iam) : IamOperation(iam)
{
    public const string SettingName = "password-policy";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var policy = new PasswordPolicy(
            (int)(input.OptLong("MinimumPasswordLength") ?? 6),
            input.OptBool("RequireSymbols") ?? false,
            input.OptBool("RequireNumbers") ?? false,
            input.OptBool("RequireUppercaseCharacters") ?? false,
            input.OptBool("RequireLowercaseCharacters") ?? false,
            input.OptBool("AllowUsersToChangePassword") ?? false,
            (int?)input.OptLong("MaxPasswordAge"),
            (int?)input.OptLong("PasswordReusePrevention"),
            input.OptBool("HardExpiry") ?? false);
        var account = Account(request);
        if (!await Iam.Store.Documents.TryInsertAsync(account, IamKinds.AccountSettings, SettingName, account + ":" + SettingName, policy, cancellationToken))
        {
            await Iam.Store.UpdateAsync<PasswordPolicy>(account, IamKinds.AccountSettings, SettingName, _ => policy, () => IamErrors.NoSuchEntity.ToException(), cancellationToken);
        }

        Iam.Store.Touch();
        return OperationResult.Empty;
    }
}
