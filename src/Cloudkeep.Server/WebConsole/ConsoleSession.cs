using System.Text.Json;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Server.WebConsole;

/// <summary>A role the person switched to (or used recently): what the menu and the badge show.</summary>
internal sealed record ConsoleRole(string AccountId, string RoleName, string DisplayName, string Colour);

/// <summary>
/// A signed-in console session, sealed under the master key into the session cookie, as STS seals a
/// session token: any node opens it, a changed byte does not. It names the IAM user, when it was
/// issued and expires (12 hours at most), whether the sign-in used MFA and when, and the address it
/// signed in from. A root sign-in is marked <see cref="IsRoot"/>. While switched to a role it also holds that role session's sealed STS token,
/// which the role's calls run under.
/// </summary>
internal sealed record ConsoleSession(
    string SessionId,
    string AccountId,
    string AccountLabel,
    string UserName,
    string UserArn,
    string UserId,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration,
    bool MultiFactorAuthPresent,
    DateTimeOffset? MultiFactorAuthTime,
    string SourceIp,
    bool MustChangePassword,
    ConsoleRole? Role,
    string? RoleToken,
    IReadOnlyList<ConsoleRole> RecentRoles)
{
    public const string Purpose = "console:session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>Whether the account's root user signed in (by e-mail and password): the session's principal is then arn:aws:iam::ACCOUNT:root.</summary>
    public bool IsRoot { get; init; }

    /// <summary>The signed-in user (or root) as a caller: a session carrying the sign-in's MFA facts.</summary>
    public Caller UserCaller => new(IsRoot ? PrincipalKind.Root : PrincipalKind.User, AccountId, UserArn, UserId, null,
        new SessionFacts(IssuedAt, Expiration, MultiFactorAuthPresent, MultiFactorAuthTime, null));

    public string Seal(SecretBox box) => Convert.ToBase64String(box.Seal(JsonSerializer.SerializeToUtf8Bytes(this, Json), Purpose));

    public static ConsoleSession? TryOpen(SecretBox box, string? sealedText, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(sealedText))
        {
            return null;
        }

        try
        {
            var session = JsonSerializer.Deserialize<ConsoleSession>(box.Open(Convert.FromBase64String(sealedText), Purpose), Json);
            return session is not null && session.Expiration > now && session.IssuedAt <= now + TimeSpan.FromMinutes(5) ? session : null;
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>A sign-in whose password was right and which now waits for an MFA code (five minutes at most).</summary>
internal sealed record PendingMfa(string AccountId, string UserName, DateTimeOffset Until)
{
    public const string Purpose = "console:pending-mfa";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public string Seal(SecretBox box) => Convert.ToBase64String(box.Seal(JsonSerializer.SerializeToUtf8Bytes(this, Json), Purpose));

    public static PendingMfa? TryOpen(SecretBox box, string? sealedText, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(sealedText))
        {
            return null;
        }

        try
        {
            var pending = JsonSerializer.Deserialize<PendingMfa>(box.Open(Convert.FromBase64String(sealedText), Purpose), Json);
            return pending is not null && pending.Until > now ? pending : null;
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }
}
