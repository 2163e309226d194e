using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Iam.Model;
using OtpNet;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) for virtual MFA devices, with a window of one
/// step either side for clock drift. A code is good once: each device remembers the last step it
/// accepted and refuses that step and earlier ones, so a code seen in flight cannot be replayed.
/// </summary>
public sealed class MfaCodes
{
    public const string SeedPurpose = "iam:mfa-seed";
    private readonly IamContext _iam;

    public MfaCodes(IamContext iam)
    {
        _iam = iam;
    }

    /// <summary>The step a code matches within the window, or null; no state changes.</summary>
    public long? MatchStep(IamMfaDevice device, string code)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var seed = _iam.Secrets.Open(Convert.FromBase64String(device.SeedSealed), SeedPurpose);
        var totp = new Totp(Base32Encoding.ToBytes(System.Text.Encoding.ASCII.GetString(seed)));
        return totp.VerifyTotp(_iam.Now.UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)) && step > device.LastUsedStep
            ? step
            : null;
    }

    /// <summary>
    /// The step of the second of two consecutive codes (EnableMFADevice, ResyncMFADevice), which
    /// proves the authenticator holds the seed and its clock is in step; InvalidAuthenticationCode otherwise.
    /// </summary>
    public long ConsecutiveStep(IamMfaDevice device, string code1, string code2)
    {
        ArgumentNullException.ThrowIfNull(device);
        var first = MatchStep(device, code1);
        var second = MatchStep(device with { LastUsedStep = first ?? long.MaxValue }, code2);
        return first is not null && second == first + 1 ? second.Value : throw InvalidCode(device.SerialNumber);
    }

    /// <summary>Finds the device by serial number (an ARN in the account) for a user.</summary>
    public async Task<IamMfaDevice?> FindAsync(string serialNumber, CancellationToken cancellationToken)
    {
        if (!IamArns.TryParseMfaArn(serialNumber, out var account, out var name))
        {
            return null;
        }

        var device = await _iam.Store.GetAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name, cancellationToken);
        return device?.SerialNumber == serialNumber ? device : null;
    }

    /// <summary>Accepts a code for an enabled device of the given user, once: the step is recorded so it cannot be used again.</summary>
    public async Task<bool> ConsumeAsync(string serialNumber, string userArn, string code, CancellationToken cancellationToken)
    {
        var device = await FindAsync(serialNumber, cancellationToken);
        if (device?.UserName is null || device.EnableDate is null || !IamArns.TryParseMfaArn(serialNumber, out var account, out var name))
        {
            return false;
        }

        if (!IamArns.TryParseUserArn(userArn, out var userAccount, out var userName) || userAccount != account || !string.Equals(userName, device.UserName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var accepted = false;
        await _iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name, current =>
        {
            accepted = false;
            if (MatchStep(current, code) is not { } step)
            {
                return current;
            }

            accepted = true;
            return current with { LastUsedStep = step };
        }, () => IamErrors.NoSuchEntity.ToException("MFA device not found."), cancellationToken);
        return accepted;
    }

    /// <summary>Accepts a code for an enabled device of the account's root user, once (S3 MFA delete).</summary>
    public async Task<bool> ConsumeRootAsync(string serialNumber, string accountId, string code, CancellationToken cancellationToken)
    {
        var device = await FindAsync(serialNumber, cancellationToken);
        if (device is not { IsRootDevice: true, EnableDate: not null } || !IamArns.TryParseMfaArn(serialNumber, out var account, out var name) || account != accountId)
        {
            return false;
        }

        var accepted = false;
        await _iam.Store.UpdateAsync<IamMfaDevice>(account, IamKinds.MfaDevice, name, current =>
        {
            accepted = false;
            if (!current.IsRootDevice || MatchStep(current, code) is not { } step)
            {
                return current;
            }

            accepted = true;
            return current with { LastUsedStep = step };
        }, () => IamErrors.NoSuchEntity.ToException("MFA device not found."), cancellationToken);
        return accepted;
    }

    public static AwsException InvalidCode(string serialNumber) =>
        IamErrors.InvalidAuthenticationCode.ToException($"Authentication code for device '{serialNumber}' was not valid.");
}
