using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;
using OtpNet;
using QRCoder;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:CreateVirtualMFADevice: a random 160-bit TOTP seed, returned once as base32 and as a QR code
/// of the otpauth:// URI authenticator apps scan, and kept only sealed.
/// </summary>
public sealed class CreateVirtualMFADevice(IamContext iam) : IamOperation(iam)
{
    /// <summary>serialNumberType's maximum in the IAM model: the device ARN, path and name included.</summary>
    private const int MaxSerialNumberLength = 256;

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IamArns.Mfa(Account(request), Paging.CheckPath(request.Input.OptStr("Path")), request.Input.Str("VirtualMFADeviceName")));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("VirtualMFADeviceName");
        var path = Paging.CheckPath(request.Input.OptStr("Path"));
        var serial = IamArns.Mfa(account, path, name);
        if (serial.Length > MaxSerialNumberLength)
        {
            // The model bounds the name only by its pattern; the device's ARN is its serial number,
            // which AWS bounds (serialNumberType), so a name too long for it is refused here.
            throw Core.Errors.CommonErrors.ValidationError.ToException(
                $"1 validation error detected: Value at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to {MaxSerialNumberLength - (serial.Length - name.Length)}");
        }

        var base32 = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));

        // Everything the answer needs is made before the device is stored, so a failure here leaves nothing.
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Cloudkeep:" + name + "@" + account)}?secret={base32}&issuer=Cloudkeep";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(8);
        var device = new IamMfaDevice(serial, name, path, Convert.ToBase64String(Iam.Secrets.Seal(Encoding.ASCII.GetBytes(base32), MfaCodes.SeedPurpose)),
            Iam.EntityTime, null, null, 0);
        await Iam.Store.InsertAsync(account, IamKinds.MfaDevice, name, serial, device,
            () => IamErrors.EntityAlreadyExists.ToException("MFADevice entity at the same path and name already exists."), cancellationToken);

        return new OperationResult(new JsonObject
        {
            ["VirtualMFADevice"] = new JsonObject
            {
                ["SerialNumber"] = serial,
                ["Base32StringSeed"] = JsonValue.Create(Encoding.ASCII.GetBytes(base32)),
                ["QRCodePNG"] = JsonValue.Create(png),
            },
        });
    }
}
