using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:ResyncMFADevice: two consecutive codes re-anchor the device (its last accepted step moves to the second).</summary>
public sealed class ResyncMFADevice(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var userName = request.Input.Str("UserName");
        var serial = request.Input.Str("SerialNumber");
        var codes = new MfaCodes(Iam);
        var device = await codes.FindAsync(serial, cancellationToken);
        if (device is null || !string.Equals(device.UserName, userName, StringComparison.OrdinalIgnoreCase) || !IamArns.TryParseMfaArn(serial, out var account, out var name) || account != Account(request))
        {
            throw IamErrors.NoSuchEntity.ToException($"MFA Device with serial number {serial} is not assigned to user {userName}.");
        }

        var second = codes.ConsecutiveStep(device, request.Input.Str("AuthenticationCode1"), request.Input.Str("AuthenticationCode2"));

        await Iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name, d => d with { LastUsedStep = second },
            () => IamErrors.NoSuchEntity.ToException(), cancellationToken);
        return OperationResult.Empty;
    }
}
