using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>Sign-in (password, then the MFA code when the user has a device), the forced password change, sign-out.</summary>
internal sealed partial class ConsoleApp
{
    /// <summary>One message for every wrong account, user name or password, so none of them can be probed.</summary>
    public const string GenericFailure = "Your authentication information is incorrect. Please try again.";

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "";

    private static string Waiting(TimeSpan wait) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many failed sign-in attempts. Wait {Math.Ceiling(wait.TotalSeconds)} seconds and try again.");

    private Task SignInPageAsync(HttpContext context, string? account, string? error, string? notice, int status = StatusCodes.Status200OK)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Sign in as IAM user</h1>").Notice(notice).Error(error)
            .FormStart("/console/signin", Token(context), "stack")
            .Field("Account ID (12 digits) or account alias", "account", value: account, autocomplete: "organization")
            .Field("IAM user name", "username", autocomplete: "username")
            .Field("Password", "password", "password", autocomplete: "current-password")
            .Button("Sign in").FormEnd()
            .Raw("<p>").Link(RootSignInPath, "Sign in as the root user (with the account's e-mail address)", "root-signin").Raw("</p></section>");
        return RenderAsync(context, status, "Sign in", body, null);
    }

    private async Task SignInPostAsync(HttpContext context, IFormCollection form)
    {
        var accountText = form["account"].ToString().Trim();
        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var address = Address(context);
        var accountId = accountText.Length == 0 ? null : await signIn.ResolveAccountAsync(accountText, context.RequestAborted);
        var check = await signIn.CheckPasswordAsync(accountId ?? "unknown:" + accountText.ToLowerInvariant(), userName, password, address, context.RequestAborted);
        if (check.Wait is { } wait)
        {
            ConsoleLog.SignInThrottled(logger, address);
            await SignInPageAsync(context, accountText, Waiting(wait), null, StatusCodes.Status429TooManyRequests);
            return;
        }

        if (!check.Succeeded || accountId is null || check.User is null)
        {
            if (accountId is not null)
            {
                await signInEvents.ConsoleLoginAsync(SignInEvents.HiddenUser(accountId), Now, address, context.Request.Headers.UserAgent.ToString(), false, false, null, context.RequestAborted);
            }

            ConsoleLog.SignInFailed(logger, address);
            await SignInPageAsync(context, accountText, GenericFailure, null, StatusCodes.Status401Unauthorized);
            return;
        }

        if (check.MfaSerials.Count > 0)
        {
            var pending = new PendingMfa(accountId, check.User.UserName, Now.AddMinutes(5));
            context.Response.Cookies.Append(ConsoleCookies.PendingMfa, pending.Seal(secrets), ConsoleCookies.Options(context, pending.Until));
            await MfaPageAsync(context, null);
            return;
        }

        await StartSessionAsync(context, accountId, check.User, mfa: false, check.PasswordResetRequired);
    }

    private Task MfaPageAsync(HttpContext context, string? error, int status = StatusCodes.Status200OK)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Multi-factor authentication</h1><p>Enter the code your authenticator app shows for this account.</p>").Error(error)
            .FormStart("/console/signin/mfa", Token(context), "stack")
            .Field("MFA code", "code", autocomplete: "one-time-code")
            .Button("Submit").FormEnd().Raw("<p>").Link("/console/signin", "Start again").Raw("</p></section>");
        return RenderAsync(context, status, "MFA", body, null);
    }

    private async Task MfaPostAsync(HttpContext context, IFormCollection form)
    {
        var pending = PendingMfa.TryOpen(secrets, context.Request.Cookies[ConsoleCookies.PendingMfa], Now);
        if (pending is null)
        {
            await SignInPageAsync(context, null, "Your sign-in has expired. Please sign in again.", null, StatusCodes.Status401Unauthorized);
            return;
        }

        if (pending.UserName == RootSignIn.UserName)
        {
            await RootMfaPostAsync(context, pending, form);
            return;
        }

        var address = Address(context);
        var (user, wait) = await signIn.CheckMfaAsync(pending.AccountId, pending.UserName, form["code"].ToString(), address, context.RequestAborted);
        if (wait is { } delay)
        {
            ConsoleLog.SignInThrottled(logger, address);
            await MfaPageAsync(context, Waiting(delay), StatusCodes.Status429TooManyRequests);
            return;
        }

        if (user is null)
        {
            await signInEvents.ConsoleLoginAsync(SignInEvents.User(pending.AccountId, $"arn:aws:iam::{pending.AccountId}:user/{pending.UserName}", ""), Now, address,
                context.Request.Headers.UserAgent.ToString(), false, false, null, context.RequestAborted);
            ConsoleLog.SignInFailed(logger, address);
            await MfaPageAsync(context, "The MFA code is not valid. Wait for the next code and try again.", StatusCodes.Status401Unauthorized);
            return;
        }

        context.Response.Cookies.Delete(ConsoleCookies.PendingMfa, ConsoleCookies.Options(context, null));
        await StartSessionAsync(context, pending.AccountId, user, mfa: true, user.LoginProfile?.PasswordResetRequired ?? false);
    }

    private async Task StartSessionAsync(HttpContext context, string accountId, IamUser user, bool mfa, bool mustChangePassword)
    {
        var now = Now;
        var address = Address(context);
        var label = await signIn.AliasOfAsync(accountId, context.RequestAborted) ?? accountId;
        var session = new ConsoleSession(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), accountId, label, user.UserName, user.Arn, user.UserId,
            now, now + ConsoleSession.Lifetime, mfa, mfa ? now : null, address, mustChangePassword, null, null, []);
        WriteSession(context, session);
        await signInEvents.ConsoleLoginAsync(SignInEvents.User(accountId, user.Arn, user.UserId), now, address, context.Request.Headers.UserAgent.ToString(), true, mfa, null, context.RequestAborted);
        ConsoleLog.SignedIn(logger, user.Arn, mfa, address);
        context.Response.Redirect(mustChangePassword ? "/console/password" : "/console/");
    }

    private async Task ForcedPasswordPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        await PasswordPageAsync(context, session, "/console/password", "Change your password",
            session.MustChangePassword ? "You must change your password before you continue." : null, null, StatusCodes.Status200OK);

    private async Task PasswordPageAsync(HttpContext context, ConsoleSession session, string action, string title, string? notice, IReadOnlyList<string>? broken, int status)
    {
        var rules = await signIn.PasswordRulesAsync(session.AccountId, context.RequestAborted);
        var body = new Html().Raw("<section class=\"card narrow\"><h1>").Text(title).Raw("</h1>").Notice(notice);
        PasswordRules(body, broken, rules);
        body.FormStart(action, Token(context), "stack")
            .Field("Current password", "oldPassword", "password", autocomplete: "current-password")
            .Field("New password", "newPassword", "password", autocomplete: "new-password")
            .Field("Confirm new password", "confirmPassword", "password", autocomplete: "new-password")
            .Button("Change password").FormEnd().Raw("</section>");
        await RenderAsync(context, status, title, body, session);
    }

    private async Task ForcedPasswordPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (ok, problems) = await ChangePasswordAsync(context, session, form!);
        if (!ok)
        {
            await PasswordPageAsync(context, session, "/console/password", "Change your password", null, problems, StatusCodes.Status400BadRequest);
            return;
        }

        WriteSession(context, session with { MustChangePassword = false });
        context.Response.Redirect("/console/");
    }

    /// <summary>The rules a new password broke (if any), then the account's password policy, in words.</summary>
    private static void PasswordRules(Html body, IReadOnlyList<string>? broken, IReadOnlyList<string> rules)
    {
        if (broken is { Count: > 0 })
        {
            body.Raw("<div class=\"error\" role=\"alert\"><p>The new password does not meet the account's password policy:</p><ul class=\"broken\">");
            foreach (var rule in broken)
            {
                body.El("li", rule);
            }

            body.Raw("</ul></div>");
        }

        body.Raw("<p>The account's password policy:</p><ul class=\"rules\">");
        foreach (var rule in rules)
        {
            body.El("li", rule);
        }

        body.Raw("</ul>");
    }

    /// <summary>iam:ChangePassword as the signed-in user; the policy's broken rules come back as the engine words them.</summary>
    private async Task<(bool Ok, IReadOnlyList<string> Problems)> ChangePasswordAsync(HttpContext context, ConsoleSession session, IFormCollection form)
    {
        var newPassword = form["newPassword"].ToString();
        if (newPassword != form["confirmPassword"].ToString())
        {
            return (false, ["The new password and its confirmation differ"]);
        }

        var (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "ChangePassword",
            new JsonObject { ["OldPassword"] = form["oldPassword"].ToString(), ["NewPassword"] = newPassword });
        if (error is null)
        {
            return (true, []);
        }

        return (false, error.Code == "PasswordPolicyViolation"
            ? error.Message.Split("; ", StringSplitOptions.RemoveEmptyEntries)
            : [$"{error.Code}: {error.Message}"]);
    }
}
