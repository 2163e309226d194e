using System.Net;
using System.Text.RegularExpressions;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.WebConsole;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OtpNet;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>
/// The seed's root story ("reset the root password and generate IAM credentials ... notify
/// #cyber-security-help as they will receive an alert about the password reset"): a member account's
/// locked root, "Forgot password", the alert reaching a real SMTP server before the reset e-mail, the
/// one-time link, root signing in by e-mail (with its MFA device once enrolled) and creating an IAM
/// user and its key in the console; the CloudTrail events that leaves, without any secret.
/// </summary>
public abstract partial class RootPasswordResetTests
{
    protected abstract MetadataEngine Engine { get; }

    // The estate's database when it is PostgreSQL: the operator's command is given it as the server is.
    private string? _database;

    private const string NewPassword = "Root-Passphrase-2026";
    private const string SecurityTeam = "cyber-security-help@example.invalid";

    [GeneratedRegex(@"https?://\S+/console/signin/root/reset\?account=(\d{12})&token=([0-9a-f]{32}\.[A-Za-z0-9_-]{43})")]
    private static partial Regex ResetLink();

    private async Task<(TestServer Server, SmtpCapture Smtp)> StartAsync(ShiftableClock clock)
    {
        var smtp = await SmtpCapture.StartAsync();
        _database = await TestDatabase.CreateAsync(Engine);
        var server = await TestServer.StartAsync(database: _database, time: clock, alerts: new AlertOptions { Smtp = $"127.0.0.1:{smtp.Port}", To = [SecurityTeam], From = "cloudkeep@example.invalid" });
        return (server, smtp);
    }

    private static async Task<string> CreateMemberAccountAsync(TestServer server, string name)
    {
        var status = (await Cli.Root(server).RunAsync("organizations", "create-account", "--email", name + "@digitalmarketplace.invalid", "--account-name", name)).GetProperty("CreateAccountStatus");
        return status.GetProperty("AccountId").GetString()!;
    }

    /// <summary>Reads mail until the reset e-mail to <paramref name="to"/> arrives; returns it and every alert rule seen before it, in order.</summary>
    private static async Task<(MimeMessage Reset, List<string> AlertsBefore)> ResetMailAsync(SmtpCapture smtp, string to)
    {
        var alerts = new List<string>();
        while (true)
        {
            var message = await smtp.NextAsync();
            if (message.Headers["X-Cloudkeep-Alert-Rule"] is { } rule)
            {
                alerts.Add(rule);
                continue;
            }

            Assert.Equal(to, message.To.Mailboxes.Single().Address);
            return (message, alerts);
        }
    }

    private static async Task AlertAsync(SmtpCapture smtp, string rule)
    {
        var seen = new List<string>();
        while (!seen.Contains(rule))
        {
            var message = await smtp.NextAsync();
            Assert.True(message.Headers["X-Cloudkeep-Alert-Rule"] is not null, "only alerts were expected, not " + message.Subject);
            seen.Add(message.Headers["X-Cloudkeep-Alert-Rule"] ?? "");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> ForgotAsync(ConsoleClient browser, string email)
    {
        await browser.GetAsync("/console/signin/root/forgot");
        return await browser.PostAsync("/console/signin/root/forgot", new Dictionary<string, string> { ["email"] = email });
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SignInAsRootAsync(ConsoleClient browser, string email, string password)
    {
        await browser.GetAsync("/console/signin/root");
        return await browser.PostAsync("/console/signin/root", new Dictionary<string, string> { ["email"] = email, ["password"] = password });
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SetPasswordAsync(ConsoleClient browser, string link, string password, string? confirm = null)
    {
        var match = ResetLink().Match(link);
        var path = link[link.IndexOf("/console/", StringComparison.Ordinal)..];
        await browser.GetAsync(path);
        return await browser.PostAsync("/console/signin/root/reset", new Dictionary<string, string>
        {
            ["account"] = match.Groups[1].Value, ["token"] = match.Groups[2].Value, ["newPassword"] = password, ["confirmPassword"] = confirm ?? password,
        });
    }

    /// <summary>The account's stored events once <paramref name="until"/> holds (ConsoleLogin is stored with the API's events, in batches).</summary>
    internal static async Task<IReadOnlyList<CloudTrailEventRow>> EventsAsync(TestServer server, string accountId, Func<IReadOnlyList<CloudTrailEventRow>, bool> until)
    {
        IReadOnlyList<CloudTrailEventRow> events = [];
        for (var i = 0; i < 100; i++)
        {
            events = [.. (await server.Server.Services.GetRequiredService<CloudTrailRepository>().EventsSinceAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), 10_000, CancellationToken.None))
                .Where(e => e.AccountId == accountId)];
            if (until(events))
            {
                break;
            }

            await Task.Delay(100);
        }

        return events;
    }

    [Fact]
    public async Task SeedRootStory_AlertArrivesBeforeTheLink_LinkWorksOnce_RootSignsInWithMfaAndCreatesIamCredentials()
    {
        var clock = new ShiftableClock();
        var (server, smtp) = await StartAsync(clock);
        await using var _ = server;
        await using var __ = smtp;
        var backups = await CreateMemberAccountAsync(server, "backups");
        const string Email = "backups@digitalmarketplace.invalid";
        using var browser = new ConsoleClient(server.Endpoint);

        // The IAM sign-in page leads to root's; root is locked: no password works, with the one generic message.
        Assert.Contains("/console/signin/root", (await browser.GetAsync("/console/signin")).Body, StringComparison.Ordinal);
        var locked = await SignInAsRootAsync(browser, Email, NewPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Contains(ConsoleApp.GenericFailure, locked.Body, StringComparison.Ordinal);

        // Forgot password: the same answer for the real address and for one nobody has.
        var asked = await ForgotAsync(browser, Email);
        var unknown = await ForgotAsync(browser, "nobody@digitalmarketplace.invalid");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (asked.Status, unknown.Status));
        Assert.Equal(ConsoleApp.ForgotPasswordAnswer, WebUtility.HtmlDecode(Notice(asked.Body)));
        Assert.Equal(Notice(asked.Body), Notice(unknown.Body));

        // The security team's alert reaches the mail server before root's link does.
        var (mail, alertsBefore) = await ResetMailAsync(smtp, Email);
        Assert.Contains("root-password-reset-requested", alertsBefore);
        var link = ResetLink().Match(mail.TextBody ?? "").Value;
        Assert.NotEmpty(link);
        Assert.StartsWith(server.Endpoint + "/console/signin/root/reset?account=" + backups, link, StringComparison.Ordinal);

        // Bound to its account: the same token for another account is refused.
        var token = ResetLink().Match(link).Groups[2].Value;
        var crossed = await browser.GetAsync($"/console/signin/root/reset?account={server.AccountId}&token={token}");
        Assert.Equal(HttpStatusCode.BadRequest, crossed.Status);
        Assert.Contains("not valid", crossed.Body, StringComparison.Ordinal);

        // A weak password is refused with each rule it breaks, and the link still works afterwards.
        var weak = await SetPasswordAsync(browser, link, "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.Status);
        Assert.Contains("Password should have at least 8 characters", weak.Body, StringComparison.Ordinal);
        Assert.Contains("at least three of", weak.Body, StringComparison.Ordinal);
        var set = await SetPasswordAsync(browser, link, NewPassword);
        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.Contains("The root user's password is set.", WebUtility.HtmlDecode(set.Body), StringComparison.Ordinal);
        await AlertAsync(smtp, "root-password-reset-completed");

        // Single use.
        var again = await browser.GetAsync(link[link.IndexOf("/console/", StringComparison.Ordinal)..]);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        var reused = await SetPasswordAsync(browser, link, "Another-Passphrase-99");
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);

        // Root signs in with the account's e-mail and the new password: a session of arn:aws:iam::<id>:root.
        var signedIn = await SignInAsRootAsync(browser, Email.ToUpperInvariant(), NewPassword);
        Assert.Equal("/console/", signedIn.Response.Headers.Location!.ToString());
        var home = await browser.GetAsync("/console/");
        Assert.Contains($"arn:aws:iam::{backups}:root", home.Body, StringComparison.Ordinal);
        await AlertAsync(smtp, "root-sign-in");

        // Root enrols its MFA device; from then on root's sign-in asks for a code.
        var enrol = await browser.PostAsync("/console/security/mfa/create", new Dictionary<string, string>());
        var seed = Regex.Match(enrol.Body, "id=\"mfa-secret\">([^<]+)<").Groups[1].Value;
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var now = clock.GetUtcNow().UtcDateTime;
        var enabled = await browser.PostAsync("/console/security/mfa/enable", new Dictionary<string, string>
        {
            ["serial"] = $"arn:aws:iam::{backups}:mfa/root", ["code1"] = totp.ComputeTotp(now), ["code2"] = totp.ComputeTotp(now.AddSeconds(30)),
        });
        Assert.Contains("MFA device assigned", enabled.Body, StringComparison.Ordinal);
        await browser.PostAsync("/console/signout", new Dictionary<string, string>());
        clock.Offset += TimeSpan.FromSeconds(61);
        var password = await SignInAsRootAsync(browser, Email, NewPassword);
        Assert.Contains("Multi-factor authentication", password.Body, StringComparison.Ordinal);
        var wrongCode = await browser.PostAsync("/console/signin/mfa", new Dictionary<string, string> { ["code"] = "000000" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.Status);
        var withCode = await browser.PostAsync("/console/signin/mfa", new Dictionary<string, string> { ["code"] = totp.ComputeTotp(clock.GetUtcNow().UtcDateTime) });
        Assert.Equal("/console/", withCode.Response.Headers.Location!.ToString());

        // "Generate IAM credentials": an IAM user and its access key, made by root in the console, work with the AWS CLI.
        var user = await browser.FollowAsync(await browser.PostAsync("/console/iam/users/create", new Dictionary<string, string> { ["userName"] = "terraform" }));
        Assert.Contains($"arn:aws:iam::{backups}:user/terraform", user.Body, StringComparison.Ordinal);
        await browser.GetAsync("/console/iam/user?name=terraform");
        var key = await browser.PostAsync("/console/iam/user/keys/create", new Dictionary<string, string> { ["name"] = "terraform" });
        var keyId = Regex.Match(key.Body, "id=\"access-key-id\">([A-Z0-9]+)<").Groups[1].Value;
        var secret = WebUtility.HtmlDecode(Regex.Match(key.Body, "id=\"secret-access-key\">([^<]+)<").Groups[1].Value);
        var identity = await new Cli(server.Endpoint, keyId, secret).RunAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:iam::{backups}:user/terraform", identity.GetProperty("Arn").GetString());

        // CloudTrail: what AWS records for root's sign-in and recovery, and no token, password or address in any record.
        var events = await EventsAsync(server, backups, all => all.Any(e => e.EventName == "ConsoleLogin" && e.Record.Contains("\"MFAUsed\":\"Yes\"", StringComparison.Ordinal)));
        var signIn = events.Where(e => e.EventSource == "signin.amazonaws.com").ToList();
        Assert.Contains(signIn, e => e.EventName == "PasswordRecoveryRequested" && e.Record.Contains("\"PasswordRecoveryRequested\":\"Success\"", StringComparison.Ordinal));
        Assert.Contains(signIn, e => e.EventName == "PasswordRecoveryCompleted");
        Assert.Contains(signIn, e => e.EventName == "ConsoleLogin" && e.Record.Contains("\"ConsoleLogin\":\"Failure\"", StringComparison.Ordinal));
        Assert.Contains(signIn, e => e.EventName == "ConsoleLogin" && e.Record.Contains("\"MFAUsed\":\"Yes\"", StringComparison.Ordinal) && e.Record.Contains("\"ConsoleLogin\":\"Success\"", StringComparison.Ordinal));
        Assert.All(signIn, e =>
        {
            Assert.Contains("\"type\":\"Root\"", e.Record, StringComparison.Ordinal);
            Assert.Contains("\"eventType\":\"AwsConsoleSignIn\"", e.Record, StringComparison.Ordinal);
            Assert.Equal("us-east-1", e.Region);
        });
        foreach (var value in new[] { token, token[33..], NewPassword, "short", Email, seed })
        {
            Assert.All(events, e => Assert.DoesNotContain(value, e.Record, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task IamUserSignIn_IsRecordedAsConsoleLogin_AFailureWithoutTheTypedName()
    {
        await using var server = await TestServer.StartAsync();
        await ConsoleClient.CreateUserAsync(server, "alice", NewPassword);
        using var browser = new ConsoleClient(server.Endpoint);

        await browser.SignInAsync(server.AccountId, NewPassword, "typed-in-the-wrong-field");
        await browser.SignInAsync(server.AccountId, "alice", NewPassword);

        var events = await EventsAsync(server, server.AccountId, all => all.Count(e => e.EventName == "ConsoleLogin") == 2);
        var logins = events.Where(e => e.EventName == "ConsoleLogin").Select(e => e.Record).ToList();
        Assert.Equal(2, logins.Count);
        Assert.Contains(logins, r => r.Contains("\"ConsoleLogin\":\"Failure\"", StringComparison.Ordinal) && r.Contains("\"errorMessage\":\"Failed authentication\"", StringComparison.Ordinal)
            && r.Contains("HIDDEN_DUE_TO_SECURITY_REASONS", StringComparison.Ordinal));
        Assert.Contains(logins, r => r.Contains("\"ConsoleLogin\":\"Success\"", StringComparison.Ordinal) && r.Contains($"\"arn\":\"arn:aws:iam::{server.AccountId}:user/alice\"", StringComparison.Ordinal)
            && r.Contains("\"type\":\"IAMUser\"", StringComparison.Ordinal) && r.Contains("\"eventType\":\"AwsConsoleSignIn\"", StringComparison.Ordinal));
        Assert.All(logins, r => Assert.DoesNotContain(NewPassword, r, StringComparison.Ordinal));
        Assert.All(logins, r => Assert.DoesNotContain("typed-in-the-wrong-field", r, StringComparison.Ordinal));
    }

    private static string Notice(string body) => Regex.Match(body, "<p class=\"notice\" role=\"status\">([^<]*)</p>").Groups[1].Value;

    [Fact]
    public async Task ResetLink_ExpiredOnTheClock_OrReplacedByANewerOne_IsRefused()
    {
        var clock = new ShiftableClock();
        var (server, smtp) = await StartAsync(clock);
        await using var _ = server;
        await using var __ = smtp;
        await CreateMemberAccountAsync(server, "production");
        const string Email = "production@digitalmarketplace.invalid";
        using var browser = new ConsoleClient(server.Endpoint);

        await ForgotAsync(browser, Email);
        var first = ResetLink().Match((await ResetMailAsync(smtp, Email)).Reset.TextBody ?? "").Value;

        // A second request inside a minute makes nothing new (no flood of mail and alerts); after it, a new link replaces the first.
        await ForgotAsync(browser, Email);
        clock.Offset += TimeSpan.FromMinutes(2);
        await ForgotAsync(browser, Email);
        var second = ResetLink().Match((await ResetMailAsync(smtp, Email)).Reset.TextBody ?? "").Value;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.BadRequest, (await SetPasswordAsync(browser, first, NewPassword)).Status);

        // An hour on, the newer one has expired too.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(second[second.IndexOf("/console/", StringComparison.Ordinal)..])).Status);
        clock.Offset += TimeSpan.FromMinutes(61);
        var expired = await SetPasswordAsync(browser, second, NewPassword);
        Assert.Equal(HttpStatusCode.BadRequest, expired.Status);
        Assert.Contains("not valid", expired.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsRootAsync(browser, Email, NewPassword)).Status);
    }

    [Fact]
    public async Task ForgotPassword_ForTheManagementAccountWithoutAnAddress_MailsNothing_ButTheOperatorCommandGivesAWorkingLink()
    {
        var clock = new ShiftableClock();
        var (server, smtp) = await StartAsync(clock);
        await using var _ = server;
        await using var __ = smtp;
        var placeholder = Services.Bootstrap.EstateBootstrapper.PlaceholderEmail(server.AccountId);
        using var browser = new ConsoleClient(server.Endpoint);

        var asked = await ForgotAsync(browser, placeholder);
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var roots = server.Server.Services.GetRequiredService<RootSignInRepository>();
        Assert.Empty(await roots.MailOfAccountAsync(server.AccountId, CancellationToken.None));

        // `cloudkeep root-reset` itself, as the operator runs it on the server's machine, beside the running server.
        var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "root-reset", "--account", server.AccountId, "--data", server.DataDirectory,
            .. _database is null ? Array.Empty<string>() : ["--database", _database]]);
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("alert root-password-reset-requested (High) raised", run.StandardOutput, StringComparison.Ordinal);
        var link = ResetLink().Match(run.StandardOutput).Value;
        Assert.StartsWith(server.Endpoint + "/console/signin/root/reset?account=" + server.AccountId, link, StringComparison.Ordinal);
        await AlertAsync(smtp, "root-password-reset-requested");

        Assert.Equal(HttpStatusCode.OK, (await SetPasswordAsync(browser, link, NewPassword)).Status);
        await AlertAsync(smtp, "root-password-reset-completed");
        var signedIn = await SignInAsRootAsync(browser, placeholder, NewPassword);
        Assert.Equal("/console/", signedIn.Response.Headers.Location!.ToString());
        Assert.Contains($"arn:aws:iam::{server.AccountId}:root", (await browser.GetAsync("/console/")).Body, StringComparison.Ordinal);

        var unknownAccount = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "root-reset", "--account", "999988887777", "--data", server.DataDirectory,
            .. _database is null ? Array.Empty<string>() : ["--database", _database]]);
        Assert.Equal(2, unknownAccount.ExitCode);
        Assert.Contains("no active account 999988887777", unknownAccount.StandardError, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string?, HttpStatusCode> BadResets => new()
    {
        // account ("" for the link's own, "other" for the management account), token ("" for the link's own), password, confirmation, status
        { "", "0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NewPassword, null, HttpStatusCode.BadRequest },
        { "", "not-a-token", NewPassword, null, HttpStatusCode.BadRequest },
        { "", "", NewPassword, null, HttpStatusCode.OK },
        { "", "TOKEN-UPPER", NewPassword, null, HttpStatusCode.BadRequest },
        { "", "TOKEN-TRUNCATED", NewPassword, null, HttpStatusCode.BadRequest },
        { "", new string('a', 5000), NewPassword, null, HttpStatusCode.BadRequest },
        { "", "%00%FF'\"<script>", NewPassword, null, HttpStatusCode.BadRequest },
        { "12", "", NewPassword, null, HttpStatusCode.BadRequest },
        { "not-an-account", "", NewPassword, null, HttpStatusCode.BadRequest },
        { "other", "", NewPassword, null, HttpStatusCode.BadRequest },
        { "", "", "password", null, HttpStatusCode.BadRequest },
        { "", "", "", null, HttpStatusCode.BadRequest },
        { "", "", NewPassword, "Something-Else-1", HttpStatusCode.BadRequest },
        { "", "", new string('A', 100_000) + "a1", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(BadResets))]
    public async Task ResetPost_BadInput_IsRefusedWithoutAServerError(string account, string token, string password, string? confirm, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var link = await RootAccessSetup.RequestByOperatorAsync(server.DataDirectory, null, null, server.Endpoint, server.AccountId, TimeProvider.System, CancellationToken.None);
        var match = ResetLink().Match(link.Url.AbsoluteUri);
        var realToken = match.Groups[2].Value;
        token = token switch
        {
            "" => realToken,
            "TOKEN-UPPER" => realToken.ToUpperInvariant(),
            "TOKEN-TRUNCATED" => realToken[..^1],
            _ => token,
        };
        account = account switch { "" => server.AccountId, "other" => "999988887777", _ => account };
        using var browser = new ConsoleClient(server.Endpoint);
        await browser.GetAsync("/console/signin/root");

        var answer = await browser.PostAsync("/console/signin/root/reset", new Dictionary<string, string>
        {
            ["account"] = account, ["token"] = token, ["newPassword"] = password, ["confirmPassword"] = confirm ?? password,
        });

        Assert.Equal(expected, answer.Status);
        Assert.DoesNotContain(realToken[33..], string.Join("", browser.Urls), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootPages_BadOrMissingFields_AnswerWithoutAServerError()
    {
        await using var server = await TestServer.StartAsync();
        using var browser = new ConsoleClient(server.Endpoint);
        await browser.GetAsync("/console/signin/root");

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/console/signin/root/forgot", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/console/signin/root/forgot", new Dictionary<string, string> { ["email"] = new string('x', 10_000) + "@example.invalid" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/console/signin/root", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/console/signin/root", new Dictionary<string, string> { ["email"] = "'; DROP TABLE accounts; --", ["password"] = "x" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/console/signin/root/reset")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/console/signin/root/reset?account=111122223333&token=..")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/console/signin/root/reset", new Dictionary<string, string>())).Status);

        // Every form carries its antiforgery token: without it nothing runs.
        var forged = await browser.PostAsync("/console/signin/root/forgot", new Dictionary<string, string> { ["email"] = "x@example.invalid" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("antiforgery token", forged.Body, StringComparison.Ordinal);
        var page = await browser.GetAsync("/console/signin/root/forgot");
        Assert.Contains("default-src 'none'", page.Response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootSignIn_RepeatedFailures_AreThrottledLikeAnIamUsers()
    {
        await using var server = await TestServer.StartAsync();
        await RootAccessSetup.RequestByOperatorAsync(server.DataDirectory, null, null, server.Endpoint, server.AccountId, TimeProvider.System, CancellationToken.None);
        using var browser = new ConsoleClient(server.Endpoint);
        var email = Services.Bootstrap.EstateBootstrapper.PlaceholderEmail(server.AccountId);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await SignInAsRootAsync(browser, email, "wrong-" + i)).Status);
        }

        // Four free failures, then waits of 1, 2, 4 seconds: the attempts that come sooner are not even judged.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(5));
    }

    [Fact]
    public async Task ResetMail_WithoutSmtp_IsAnEmlFileInTheOutbox_WrittenAfterItsAlert()
    {
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock);
        await CreateMemberAccountAsync(server, "development");
        using var browser = new ConsoleClient(server.Endpoint);

        await ForgotAsync(browser, "development@digitalmarketplace.invalid");

        var outbox = AlertSinks.OutboxDirectory(server.DataDirectory);
        string[] mails = [];
        for (var i = 0; i < 200 && mails.Length == 0; i++)
        {
            await Task.Delay(100);
            mails = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "root-reset-*.eml") : [];
        }

        var mail = Assert.Single(mails);
        var alert = Directory.GetFiles(outbox, "alert-*.eml").Select(f => (File: f, Text: File.ReadAllText(f))).Single(a => a.Text.Contains("root-password-reset-requested", StringComparison.Ordinal));
        Assert.True(File.GetLastWriteTimeUtc(alert.File) <= File.GetLastWriteTimeUtc(mail));
        Assert.Matches(ResetLink(), File.ReadAllText(mail));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(mail));
    }
}

public sealed class RootPasswordResetTestsOnSqlite : RootPasswordResetTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class RootPasswordResetTestsOnPostgres : RootPasswordResetTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
