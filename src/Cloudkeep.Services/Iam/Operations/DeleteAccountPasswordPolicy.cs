using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class DeleteAccountPasswordPolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        await Iam.Store.DeleteAsync(account, IamKinds.AccountSettings, UpdateAccountPasswordPolicy.SettingName,
            () => IamErrors.NoSuchEntity.ToException($"The Password Policy with domain name {account} cannot be found."), cancellationToken);
        return OperationResult.Empty;
    }
}
