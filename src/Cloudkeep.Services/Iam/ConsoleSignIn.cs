using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Services.Iam.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>The outcome of checking a console password.</summary>
public sealed record PasswordCheck(bool Succeeded, TimeSpan? Wait, IamUser? User, IReadOnlyList<string> MfaSerials, bool PasswordResetRequired)
{
    public static PasswordCheck Failed { get; } = new(false, null, null, [], false);

    public static PasswordCheck Throttled(TimeSpan wait) => new(false, wait, null, [], false);
}

/// <summary>
/// Signing in to the console: what AWS's sign-in service does before there is a caller to authorize.
/// A password is checked against the user's login profile (an unknown user costs the same PBKDF2
/// work, so timing does not tell which users exist), then, when the user has an enabled MFA device,
/// a code from it. Failures are counted per user and per address and slow further attempts down
/// exponentially up to <see cref="MaxDelay"/>; a success clears them, so nobody is locked out for good.
/// </summary>
public sealed class ConsoleSignIn(IamContext iam, AccountRepository accounts, ConsoleSignInRepository state)
{
    /// <summary>The longest wait repeated failures impose on a user or an address.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>Failures allowed before any wait (typing mistakes).</summary>
    public const int FreeFailures = 4;

    internal static readonly Lazy<string> UnknownUserHash = new(() => Passwords.Hash(Guid.NewGuid().ToString("N")));

    /// <summary>The account a sign-in names, by its 12-digit id or its alias; null when there is none (or it is not active).</summary>
    public async Task<string?> ResolveAccountAsync(string accountOrAlias, CancellationToken cancellationToken)
    {
        var text = accountOrAlias.Trim().Replace("-", "", StringComparison.Ordinal);
        if (text.Length == 12 && text.All(char.IsAsciiDigit))
        {
            var account = await accounts.GetAsync(text, cancellationToken);
            return account is { Status: "ACTIVE" } ? account.AccountId : null;
        }

        var alias = await iam.Store.GetAsync<AccountAliases.AccountAlias>(AccountAliases.GlobalAccount, AccountAliases.Kind, accountOrAlias.Trim().ToLowerInvariant(), cancellationToken);
        return alias?.AccountId;
    }

    /// <summary>The alias an account signs in with, if it has one.</summary>
    public async Task<string?> AliasOfAsync(string accountId, CancellationToken cancellationToken) =>
        (await iam.Store.ListAsync<AccountAliases.AccountAlias>(AccountAliases.GlobalAccount, AccountAliases.Kind, cancellationToken)).FirstOrDefault(a => a.AccountId == accountId)?.Name;

    /// <summary>How long the user or the address must still wait before another attempt is judged; null when not at all.</summary>
    public async Task<TimeSpan?> WaitAsync(string accountId, string userName, string address, CancellationToken cancellationToken)
    {
        var now = iam.Now;
        TimeSpan? longest = null;
        foreach (var subject in Subjects(accountId, userName, address))
        {
            if (await state.GetFailuresAsync(subject, cancellationToken) is { } failures && Delay(failures.Failures) is { } delay)
            {
                var remaining = failures.LastFailure + delay - now;
                if (remaining > TimeSpan.Zero && (longest is null || remaining > longest))
                {
                    longest = remaining;
                }
            }
        }

        return longest;
    }

    /// <summary>The wait after this many failures: none for the first few, then 1, 2, 4, ... seconds up to <see cref="MaxDelay"/>.</summary>
    public static TimeSpan? Delay(long failures)
    {
        if (failures <= FreeFailures)
        {
            return null;
        }

        var exponent = Math.Min(failures - FreeFailures - 1, 20);
        var seconds = Math.Min(1L << (int)exponent, (long)MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    public async Task<PasswordCheck> CheckPasswordAsync(string accountId, string userName, string password, string address, CancellationToken cancellationToken)
    {
        if (await WaitAsync(accountId, userName, address, cancellationToken) is { } wait)
        {
            return PasswordCheck.Throttled(wait);
        }

        var user = userName.Length == 0 ? null : await iam.Store.GetAsync<IamUser>(accountId, IamKinds.User, userName, cancellationToken);
        var profile = user?.LoginProfile;
        var matches = Passwords.Verify(password, profile?.PasswordHash ?? UnknownUserHash.Value) && profile is not null;
        if (!matches)
        {
            await RecordFailureAsync(accountId, userName, address, cancellationToken);
            return PasswordCheck.Failed;
        }

        var serials = (await iam.Store.ListAsync<IamMfaDevice>(accountId, IamKinds.MfaDevice, cancellationToken))
            .Where(d => d.EnableDate is not null && string.Equals(d.UserName, user!.UserName, StringComparison.OrdinalIgnoreCase))
            .Select(d => d.SerialNumber)
            .ToList();
        if (serials.Count == 0)
        {
            await ClearAsync(accountId, userName, address, cancellationToken);
        }

        return new PasswordCheck(true, null, user, serials, profile!.PasswordResetRequired);
    }

    /// <summary>The second step: a code from one of the user's enabled devices, accepted once.</summary>
    public async Task<(IamUser? User, TimeSpan? Wait)> CheckMfaAsync(string accountId, string userName, string code, string address, CancellationToken cancellationToken)
    {
        if (await WaitAsync(accountId, userName, address, cancellationToken) is { } wait)
        {
            return (null, wait);
        }

        var user = await iam.Store.GetAsync<IamUser>(accountId, IamKinds.User, userName, cancellationToken);
        if (user?.LoginProfile is not null)
        {
            var codes = new MfaCodes(iam);
            var devices = (await iam.Store.ListAsync<IamMfaDevice>(accountId, IamKinds.MfaDevice, cancellationToken))
                .Where(d => d.EnableDate is not null && string.Equals(d.UserName, user.UserName, StringComparison.OrdinalIgnoreCase));
            foreach (var device in devices)
            {
                if (await codes.ConsumeAsync(device.SerialNumber, user.Arn, code.Trim(), cancellationToken))
                {
                    await ClearAsync(accountId, userName, address, cancellationToken);
                    return (user, null);
                }
            }
        }

        await RecordFailureAsync(accountId, userName, address, cancellationToken);
        return (null, null);
    }

    /// <summary>The account's password rules in words, as the change-password page states them.</summary>
    public async Task<IReadOnlyList<string>> PasswordRulesAsync(string accountId, CancellationToken cancellationToken)
    {
        var policy = await iam.Store.GetAsync<PasswordPolicy>(accountId, IamKinds.AccountSettings, UpdateAccountPasswordPolicy.SettingName, cancellationToken);
        if (policy is null)
        {
            return ["At least 8 characters", "At least three of: uppercase letters, lowercase letters, numbers and symbols"];
        }

        var rules = new List<string> { $"At least {policy.MinimumPasswordLength} characters" };
        if (policy.RequireUppercaseCharacters)
        {
            rules.Add("At least one uppercase letter");
        }

        if (policy.RequireLowercaseCharacters)
        {
            rules.Add("At least one lowercase letter");
        }

        if (policy.RequireNumbers)
        {
            rules.Add("At least one number");
        }

        if (policy.RequireSymbols)
        {
            rules.Add("At least one symbol: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '");
        }

        return rules;
    }

    internal async Task RecordFailureAsync(string accountId, string userName, string address, CancellationToken cancellationToken)
    {
        foreach (var subject in Subjects(accountId, userName, address))
        {
            await state.RecordFailureAsync(subject, iam.Now, cancellationToken);
        }
    }

    internal async Task ClearAsync(string accountId, string userName, string address, CancellationToken cancellationToken)
    {
        foreach (var subject in Subjects(accountId, userName, address))
        {
            await state.ClearFailuresAsync(subject, cancellationToken);
        }
    }

    private static string[] Subjects(string accountId, string userName, string address) =>
        [$"user:{accountId}/{userName.ToLowerInvariant()}", $"address:{address}"];
}
