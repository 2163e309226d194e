using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:DeleteVirtualMFADevice: only a device no user holds (DeleteConflict otherwise).</summary>
public sealed class DeleteVirtualMFADevice(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(request.Input.Str("SerialNumber"));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var serial = request.Input.Str("SerialNumber");
        if (!IamArns.TryParseMfaArn(serial, out var account, out var name) || account != Account(request))
        {
            throw IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist.");
        }

        var device = await Iam.Store.RequireAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name, () => IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist."), cancellationToken);
        if (device.UserName is not null)
        {
            throw IamErrors.DeleteConflict.ToException("MFA Device is still in use.");
        }

        await Iam.Store.DeleteAsync(account, IamKinds.MfaDevice, name, () => IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist."), cancellationToken);
        return OperationResult.Empty;
    }
}
