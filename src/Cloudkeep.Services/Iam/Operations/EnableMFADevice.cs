using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:EnableMFADevice: binds a virtual device to a user after two consecutive codes, which proves
/// the authenticator holds the seed and its clock is in step.
/// </summary>
public sealed class EnableMFADevice(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var userName = request.Input.Str("UserName");
        var serial = request.Input.Str("SerialNumber");
        var user = await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken);
        var codes = new MfaCodes(Iam);
        var device = await codes.FindAsync(serial, cancellationToken);
        if (device is null || !IamArns.TryParseMfaArn(serial, out var deviceAccount, out var deviceName) || deviceAccount != account)
        {
            throw IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist.");
        }

        if (device.UserName is not null)
        {
            throw IamErrors.EntityAlreadyExists.ToException("MFA Device is already in use.");
        }

        var second = codes.ConsecutiveStep(device, request.Input.Str("AuthenticationCode1"), request.Input.Str("AuthenticationCode2"));

        await Iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, deviceName,
            d => d.UserName is null ? d with { UserName = user.UserName, EnableDate = Iam.EntityTime, LastUsedStep = second } : throw IamErrors.EntityAlreadyExists.ToException("MFA Device is already in use."),
            () => IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist."), cancellationToken);
        return OperationResult.Empty;
    }
}
