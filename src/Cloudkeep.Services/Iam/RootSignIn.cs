using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>The outcome of checking root's e-mail address and password.</summary>
public sealed record RootPasswordCheck(bool Succeeded, TimeSpan? Wait, string? AccountId, IReadOnlyList<string> MfaSerials)
{
    public static RootPasswordCheck Failed { get; } = new(false, null, null, []);

    public static RootPasswordCheck Throttled(TimeSpan wait) => new(false, wait, null, []);
}

/// <summary>
/// The root user's console sign-in: the account's e-mail address and root's password, then a code
/// from root's MFA device when it has one enabled. The password exists only after a reset (no row:
/// the root user is locked, and every attempt fails the same way). Failures are throttled like an
/// IAM user's (<see cref="ConsoleSignIn"/>: per account's root and per address, an unknown address
/// costing the same PBKDF2 work), and each attempt on an account is recorded as AWS records it, a
/// ConsoleLogin event of type Root, Success or Failure, which the root-sign-in alert rule watches.
/// </summary>
public sealed class RootSignIn(IamContext iam, AccountRepository accounts, RootSignInRepository roots, ConsoleSignIn throttling, SignInEvents events)
{
    /// <summary>Root in the throttling subjects and in a sign-in waiting for its MFA code; no IAM user can be named so.</summary>
    public const string UserName = IamMfaDevice.RootUser;

    public async Task<RootPasswordCheck> CheckPasswordAsync(string email, string password, string address, string userAgent, CancellationToken cancellationToken)
    {
        email = email.Trim();
        var account = email.Length == 0 ? null : await accounts.GetByEmailAsync(email, cancellationToken);
        if (account is not { Status: "ACTIVE" })
        {
            account = null;
        }

        var subject = account?.AccountId ?? "email:" + email.ToLowerInvariant();
        if (await throttling.WaitAsync(subject, UserName, address, cancellationToken) is { } wait)
        {
            return RootPasswordCheck.Throttled(wait);
        }

        var hash = account is null ? null : await roots.PasswordHashAsync(account.AccountId, cancellationToken);
        var matches = Passwords.Verify(password, hash ?? ConsoleSignIn.UnknownUserHash.Value) && hash is not null;
        if (!matches)
        {
            await throttling.RecordFailureAsync(subject, UserName, address, cancellationToken);
            if (account is not null)
            {
                await RecordAsync(account.AccountId, address, userAgent, succeeded: false, mfaSerial: null, cancellationToken);
            }

            return RootPasswordCheck.Failed;
        }

        var serials = await DeviceSerialsAsync(account!.AccountId, cancellationToken);
        if (serials.Count == 0)
        {
            await throttling.ClearAsync(account.AccountId, UserName, address, cancellationToken);
            await RecordAsync(account.AccountId, address, userAgent, succeeded: true, mfaSerial: null, cancellationToken);
        }

        return new RootPasswordCheck(true, null, account.AccountId, serials);
    }

    /// <summary>The second step: a code from one of root's enabled devices, accepted once. Returns whether it was, and any wait.</summary>
    public async Task<(bool Succeeded, TimeSpan? Wait)> CheckMfaAsync(string accountId, string code, string address, string userAgent, CancellationToken cancellationToken)
    {
        if (await throttling.WaitAsync(accountId, UserName, address, cancellationToken) is { } wait)
        {
            return (false, wait);
        }

        var codes = new MfaCodes(iam);
        foreach (var serial in await DeviceSerialsAsync(accountId, cancellationToken))
        {
            if (await codes.ConsumeRootAsync(serial, accountId, code.Trim(), cancellationToken))
            {
                await throttling.ClearAsync(accountId, UserName, address, cancellationToken);
                await RecordAsync(accountId, address, userAgent, succeeded: true, serial, cancellationToken);
                return (true, null);
            }
        }

        await throttling.RecordFailureAsync(accountId, UserName, address, cancellationToken);
        await RecordAsync(accountId, address, userAgent, succeeded: false, mfaSerial: null, cancellationToken);
        return (false, null);
    }

    /// <summary>The serial numbers of root's enabled MFA devices in the account.</summary>
    public async Task<IReadOnlyList<string>> DeviceSerialsAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await iam.Store.ListAsync<IamMfaDevice>(accountId, IamKinds.MfaDevice, cancellationToken))
            .Where(d => d.IsRootDevice && d.EnableDate is not null)
            .Select(d => d.SerialNumber)];

    private Task RecordAsync(string accountId, string address, string userAgent, bool succeeded, string? mfaSerial, CancellationToken cancellationToken) =>
        events.ConsoleLoginAsync(SignInEvents.Root(accountId), iam.Now, address, userAgent, succeeded, mfaSerial is not null, mfaSerial, cancellationToken).AsTask();
}
