using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class DeactivateMFADevice(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var serial = request.Input.Str("SerialNumber");
        var userName = request.Input.OptStr("UserName") ?? request.Caller.UserName ?? "";
        if (request.Caller.Kind == Core.Identity.PrincipalKind.Root && userName is "" or EnableMFADevice.RootUserName)
        {
            userName = IamMfaDevice.RootUser;
        }
        if (!IamArns.TryParseMfaArn(serial, out var account, out var name) || account != Account(request))
        {
            throw IamErrors.NoSuchEntity.ToException($"MFA Device with serial number {serial} does not exist.");
        }

        await Iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name,
            d => string.Equals(d.UserName, userName, StringComparison.OrdinalIgnoreCase)
                ? d with { UserName = null, EnableDate = null }
                : throw IamErrors.NoSuchEntity.ToException($"MFA Device with serial number {serial} is not assigned to user {userName}."),
            () => IamErrors.NoSuchEntity.ToException($"MFA Device with serial number {serial} does not exist."), cancellationToken);
        return OperationResult.Empty;
    }
}
