using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.Bootstrap;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Services.Iam.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>A password reset link made for the operator (<c>cloudkeep root-reset</c>): shown, never mailed.</summary>
public sealed record RootResetLink(string AccountId, Uri Url, DateTimeOffset Expires, IReadOnlyList<JsonObject> Alerts);

/// <summary>What following a link led to.</summary>
public enum RootResetOutcome
{
    /// <summary>The password is set and the link used up.</summary>
    Completed,

    /// <summary>The new password breaks the account's password policy (the link still works).</summary>
    PolicyViolated,

    /// <summary>Wrong, malformed, used, replaced by a newer one, expired or of another account: one answer for all.</summary>
    InvalidLink,
}

/// <summary>A reset e-mail as queued (sealed, since it carries the link): recipient, subject and text.</summary>
public sealed record RootResetMessage(string To, string Subject, string Text);

/// <summary>
/// The root user's password reset, the only way to a root password (every account starts with root
/// locked). A link is made of a random selector and a random secret; only the secret's SHA-256 is
/// stored, compared in constant time. A link works once, for one hour on the injected clock, for the
/// account it was made for, and a newer one replaces it. Using it and setting the password (checked
/// against the account's password policy) is one transaction.
/// <para>
/// Each request and each completion is recorded as AWS records them (PasswordRecoveryRequested /
/// PasswordRecoveryCompleted, <see cref="SignInEvents"/>), which raises the built-in alerts
/// root-password-reset-requested / -completed into the durable alert outbox before anything else
/// happens. The e-mail carrying the link is then queued behind those alerts: the delivery job sends
/// it only once every sink took them (<see cref="DeliverableAsync"/>), so the security team hears of the
/// reset before the link reaches the mailbox. A request whose alert was not raised mails nothing.
/// </para>
/// </summary>
public sealed class RootPasswordReset(IamContext iam, AccountRepository accounts, RootSignInRepository roots, AlertOutboxRepository alertOutbox, SignInEvents events)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Requests for one account closer together than this make no new link (nor e-mail, nor alert): the mailbox and the security team are not flooded.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    public const string ResetPath = "/console/signin/root/reset";
    public const string MessagePurpose = "console:root-reset-mail";
    public const string RequestedRule = "root-password-reset-requested";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The base of the links (--public-url, else the listener's address); set when the server starts.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:4566";

    /// <summary>Raised when an e-mail was queued, to wake the delivery job.</summary>
    public event Action? MailQueued;

    /// <summary>Whether an account's root address can receive mail: not empty and not the stand-in bootstrap gives the management account.</summary>
    public static bool HasMailAddress(AccountRecord account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Email.Contains('@', StringComparison.Ordinal) && account.Email != EstateBootstrapper.PlaceholderEmail(account.AccountId);
    }

    /// <summary>
    /// "Forgot password": when the address is an active account's root address that can receive mail,
    /// makes a link, records the request (raising its alert) and queues the e-mail behind the alert.
    /// Otherwise does nothing. Either way the caller answers the same, so the page reveals nothing.
    /// </summary>
    public async Task RequestByMailAsync(string email, string address, string userAgent, CancellationToken cancellationToken)
    {
        email = email.Trim();
        var account = email.Length is 0 or > 320 ? null : await accounts.GetByEmailAsync(email, cancellationToken);
        if (account is not { Status: "ACTIVE" } || !HasMailAddress(account) || await RecentlyIssuedAsync(account.AccountId, cancellationToken))
        {
            return;
        }

        var (url, expires) = await IssueAsync(account.AccountId, cancellationToken);
        var alerts = await events.RecordRecoveryAsync(SignInEvents.PasswordRecoveryRequested, account.AccountId, iam.Now, address, userAgent,
            new Dictionary<string, string> { ["RecoveryLinkSentBy"] = "email" }, cancellationToken);
        if (!alerts.Any(a => (string?)a["rule"] == RequestedRule))
        {
            throw new InvalidOperationException($"The {RequestedRule} alert was not raised for a root password reset of account {account.AccountId}; the link was not mailed.");
        }

        var message = new RootResetMessage(account.Email, "Cloudkeep password assistance", Text(account, url, expires));
        var now = iam.Now.ToUnixTimeMilliseconds();
        await roots.AddMailAsync(new RootResetMailRow(
            Guid.NewGuid().ToString("N"), account.AccountId, account.Email,
            iam.Secrets.SealString(JsonSerializer.Serialize(message), MessagePurpose),
            string.Join(',', alerts.Select(a => (string)a["alertId"]!)), now, expires.ToUnixTimeMilliseconds(), 0, now, RootResetMailRow.Pending, null), cancellationToken);
        MailQueued?.Invoke();
    }

    /// <summary>
    /// The operator's path (<c>cloudkeep root-reset</c>, on the server's machine): a link for any active
    /// account, returned rather than mailed, after its request was recorded and its alert raised.
    /// </summary>
    public async Task<RootResetLink> RequestByOperatorAsync(string accountId, string userAgent, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is not { Status: "ACTIVE" })
        {
            throw new ArgumentException($"There is no active account {accountId} in this estate.");
        }

        var (url, expires) = await IssueAsync(accountId, cancellationToken);
        var alerts = await events.RecordRecoveryAsync(SignInEvents.PasswordRecoveryRequested, accountId, iam.Now, "localhost", userAgent,
            new Dictionary<string, string> { ["RecoveryLinkSentBy"] = "cloudkeep root-reset" }, cancellationToken);
        return new RootResetLink(accountId, url, expires, alerts);
    }

    /// <summary>Whether a link would be accepted now (the reset page shows its form only then).</summary>
    public async Task<bool> IsValidAsync(string accountId, string token, CancellationToken cancellationToken) =>
        await FindAsync(accountId, token, cancellationToken) is not null;

    /// <summary>
    /// Follows a link: checks it, checks the password against the account's policy (every broken rule
    /// is returned), then uses the link and sets the password in one transaction, and records the
    /// completion (raising its alert).
    /// </summary>
    public async Task<(RootResetOutcome Outcome, IReadOnlyList<string> Problems)> CompleteAsync(
        string accountId, string token, string newPassword, string address, string userAgent, CancellationToken cancellationToken)
    {
        if (await FindAsync(accountId, token, cancellationToken) is not { } reset)
        {
            return (RootResetOutcome.InvalidLink, []);
        }

        var policy = await iam.Store.GetAsync<PasswordPolicy>(accountId, IamKinds.AccountSettings, UpdateAccountPasswordPolicy.SettingName, cancellationToken);
        var problems = Passwords.Violations(newPassword, policy);
        if (problems.Count > 0)
        {
            return (RootResetOutcome.PolicyViolated, problems);
        }

        if (!await roots.CompleteAsync(reset.Id, accountId, Passwords.Hash(newPassword), iam.Now.ToUnixTimeMilliseconds(), address, cancellationToken))
        {
            // Used, replaced or expired between the check and the transaction.
            return (RootResetOutcome.InvalidLink, []);
        }

        await AnnounceAsync(reset.Id, accountId, iam.Now, address, userAgent, cancellationToken);
        return (RootResetOutcome.Completed, []);
    }

    /// <summary>
    /// Announces completions whose node stopped between setting the password and recording it (the
    /// record and its alert come after the transaction): a reset is never left without its alert.
    /// </summary>
    public async Task<int> AnnounceLeftoversAsync(CancellationToken cancellationToken)
    {
        var left = await roots.UnannouncedAsync((iam.Now - TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds(), cancellationToken);
        foreach (var reset in left)
        {
            await AnnounceAsync(reset.Id, reset.AccountId, DateTimeOffset.FromUnixTimeMilliseconds(reset.UsedMs ?? reset.CreatedMs), reset.UsedFrom ?? "", "", cancellationToken);
        }

        return left.Count;
    }

    /// <summary>
    /// Whether a queued e-mail may leave: true once every sink took every alert it waits on; false while
    /// any is still pending; an error when one was dead-lettered (then the link is never mailed).
    /// </summary>
    public async Task<(bool Ready, string? Refusal)> DeliverableAsync(RootResetMailRow mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var ids = mail.AfterAlerts.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var states = await alertOutbox.StatesOfAsync(ids, cancellationToken);
        if (ids.Length == 0 || ids.Any(id => !states.Any(s => s.AlertId == id)))
        {
            return (false, "the alert this e-mail waits on is not in the alert outbox");
        }

        if (states.Any(s => s.State == AlertOutboxRow.Dead))
        {
            return (false, "the alert this e-mail waits on could not be delivered, so the link is not mailed");
        }

        return (states.All(s => s.State == AlertOutboxRow.Delivered), null);
    }

    public RootResetMessage Open(RootResetMailRow mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return JsonSerializer.Deserialize<RootResetMessage>(iam.Secrets.OpenString(mail.MessageSealed, MessagePurpose))!;
    }

    /// <summary>Whether a link is well formed; the selector and the secret out of it.</summary>
    public static bool TryParse(string token, out string selector, out byte[] secret)
    {
        selector = "";
        secret = [];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 100 || dot != 32 || token.AsSpan(0, 32).ContainsAnyExcept(LowerHex))
        {
            return false;
        }

        var text = token[(dot + 1)..].Replace('-', '+').Replace('_', '/');
        var bytes = new byte[48];
        if (text.Length != 43 || !Convert.TryFromBase64String(text + "=", bytes, out var written) || written != 32)
        {
            return false;
        }

        selector = token[..32];
        secret = bytes[..32];
        return true;
    }

    private async Task<bool> RecentlyIssuedAsync(string accountId, CancellationToken cancellationToken) =>
        await roots.LastIssuedMsAsync(accountId, cancellationToken) is { } last
        && iam.Now - DateTimeOffset.FromUnixTimeMilliseconds(last) < MinimumInterval;

    private async Task<(Uri Url, DateTimeOffset Expires)> IssueAsync(string accountId, CancellationToken cancellationToken)
    {
        var selector = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = RandomNumberGenerator.GetBytes(32);
        var now = iam.Now;
        var expires = now + Lifetime;
        await roots.IssueAsync(new RootResetRow(selector, accountId, Verifier(secret), now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), RootResetRow.Issued, null, null), cancellationToken);
        var token = selector + "." + Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new Uri($"{PublicBaseUrl.TrimEnd('/')}{ResetPath}?account={accountId}&token={token}"), expires);
    }

    /// <summary>The link's stored row when it is well formed, its secret matches, and it is issued, unexpired and of this account; else null.</summary>
    private async Task<RootResetRow?> FindAsync(string accountId, string token, CancellationToken cancellationToken)
    {
        if (!AccountIds.IsValid(accountId) || !TryParse(token, out var selector, out var secret))
        {
            return null;
        }

        var reset = await roots.GetResetAsync(selector, cancellationToken);
        var matches = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Verifier(secret)), Convert.FromHexString(reset?.VerifierHash ?? new string('0', 64)));
        return matches && reset is { State: RootResetRow.Issued } && reset.AccountId == accountId && reset.ExpiresMs > iam.Now.ToUnixTimeMilliseconds() ? reset : null;
    }

    private async Task AnnounceAsync(string resetId, string accountId, DateTimeOffset at, string address, string userAgent, CancellationToken cancellationToken)
    {
        await events.RecordRecoveryAsync(SignInEvents.PasswordRecoveryCompleted, accountId, at, address, userAgent, null, cancellationToken);
        await roots.MarkAnnouncedAsync(resetId, cancellationToken);
    }

    private static string Verifier(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret));

    private static string Text(AccountRecord account, Uri url, DateTimeOffset expires) =>
        new StringBuilder()
            .AppendLine("Hello,").AppendLine()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Someone asked to reset the password of the root user of Cloudkeep account {account.AccountId} ({account.Name}), which signs in with this e-mail address.")
            .AppendLine("To choose a new password, open this link (it works once, until " + AuditRecords.Timestamp(expires) + "):").AppendLine()
            .AppendLine(url.AbsoluteUri).AppendLine()
            .AppendLine("The account's security contacts have been alerted to this request. If you did not ask for it, do not open the link, and tell them.")
            .ToString();
}
