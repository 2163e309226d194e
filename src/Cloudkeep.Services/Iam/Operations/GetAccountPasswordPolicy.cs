using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class GetAccountPasswordPolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var policy = await Iam.Store.GetAsync<PasswordPolicy>(account, IamKinds.AccountSettings, UpdateAccountPasswordPolicy.SettingName, cancellationToken)
            ?? throw IamErrors.NoSuchEntity.ToException($"The Password Policy with domain name {account} cannot be found.");
        var output = new JsonObject
        {
            ["MinimumPasswordLength"] = policy.MinimumPasswordLength,
            ["RequireSymbols"] = policy.RequireSymbols,
            ["RequireNumbers"] = policy.RequireNumbers,
            ["RequireUppercaseCharacters"] = policy.RequireUppercaseCharacters,
            ["RequireLowercaseCharacters"] = policy.RequireLowercaseCharacters,
            ["AllowUsersToChangePassword"] = policy.AllowUsersToChangePassword,
            ["ExpirePasswords"] = policy.MaxPasswordAge is > 0,
            ["HardExpiry"] = policy.HardExpiry,
        };
        if (policy.MaxPasswordAge is { } age)
        {
            output["MaxPasswordAge"] = age;
        }

        if (policy.PasswordReusePrevention is { } reuse)
        {
            output["PasswordReusePrevention"] = reuse;
        }

        return new OperationResult(new JsonObject { ["PasswordPolicy"] = output });
    }
}
