using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:EnableMFADevice: binds a virtual device to a user after two consecutive codes, which proves
/// the authenticator holds the seed and its clock is in step. Called with root's own credentials and
/// UserName left out or "root", it binds the device to the root user: AWS does that only in its
/// console, Cloudkeep also here so tools and tests can give root the MFA that S3 MFA delete needs.
/// </summary>
public sealed class EnableMFADevice(IamContext iam) : IamOperation(iam)
{
    /// <summary>The name that stands for the root user when root enables a device for itself.</summary>
    public const string RootUserName = "root";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var userName = request.Input.OptStr("UserName") ?? "";
        var serial = request.Input.Str("SerialNumber");
        var assignee = request.Caller.Kind == Core.Identity.PrincipalKind.Root && userName is "" or RootUserName
            ? IamMfaDevice.RootUser
            : (await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken)).UserName;
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
            d => d.UserName is null ? d with { UserName = assignee, EnableDate = Iam.EntityTime, LastUsedStep = second } : throw IamErrors.EntityAlreadyExists.ToException("MFA Device is already in use."),
            () => IamErrors.NoSuchEntity.ToException($"VirtualMFADevice with serial {serial} doesn't exist."), cancellationToken);
        return OperationResult.Empty;
    }
}
