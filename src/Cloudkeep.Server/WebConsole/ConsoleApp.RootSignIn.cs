using System.Security.Cryptography;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Operations;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The root user's way in, as AWS's sign-in page offers it: the account's e-mail address and root's
/// password (then root's MFA code when it has a device), and "Forgot password", which e-mails a
/// one-time link to that address. Every account's root starts locked (no password), so the reset is
/// the only way to a first root password; <see cref="RootPasswordReset"/> holds the rules (one use,
/// one hour, bound to the account, alert first). The answers never tell whether an address belongs
/// to an account, has a password or can receive mail.
/// </summary>
internal sealed partial class ConsoleApp
{
    public const string RootSignInPath = "/console/signin/root";
    public const string ForgotPasswordPath = "/console/signin/root/forgot";

    /// <summary>The one answer to "Forgot password", whatever was typed.</summary>
    public const string ForgotPasswordAnswer =
        "If this is the root user's e-mail address of an account here that can receive mail, a link to reset the root password is on its way to it. " +
        "It works once, for one hour; the account's security contacts are alerted first.";

    public const string InvalidResetLink =
        "This password reset link is not valid: it may be mistyped, already used, replaced by a newer link, or expired (a link works for one hour). Ask for a new one.";

    /// <summary>The pages reached before a session exists; null when the path is not one of them.</summary>
    private Func<Task>? RootPage(HttpContext context, string path, bool post, IFormCollection? form) => (path, post) switch
    {
        ("/signin/root", false) => () => RootSignInPageAsync(context, null, null),
        ("/signin/root", true) => () => RootSignInPostAsync(context, form!),
        ("/signin/root/forgot", false) => () => ForgotPasswordPageAsync(context, null, StatusCodes.Status200OK),
        ("/signin/root/forgot", true) => () => ForgotPasswordPostAsync(context, form!),
        ("/signin/root/reset", false) => () => ResetPageAsync(context, context.Request.Query["account"].ToString(), context.Request.Query["token"].ToString()),
        ("/signin/root/reset", true) => () => ResetPostAsync(context, form!),
        _ => null,
    };

    private Task RootSignInPageAsync(HttpContext context, string? error, string? notice, int status = StatusCodes.Status200OK)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Sign in as the root user</h1>").Notice(notice).Error(error)
            .Raw("<p class=\"hint\">The root user can do everything in its account; use it only for the tasks that need it. Most accounts' root users are locked until a password reset.</p>")
            .FormStart(RootSignInPath, Token(context), "stack")
            .Field("Root user e-mail address", "email", "email", autocomplete: "username")
            .Field("Password", "password", "password", autocomplete: "current-password")
            .Button("Sign in").FormEnd()
            .Raw("<p>").Link(ForgotPasswordPath, "Forgot password?", "forgot-password").Raw("</p><p>").Link("/console/signin", "Sign in as IAM user instead").Raw("</p></section>");
        return RenderAsync(context, status, "Root sign-in", body, null);
    }

    private async Task RootSignInPostAsync(HttpContext context, IFormCollection form)
    {
        var address = Address(context);
        var check = await rootSignIn.CheckPasswordAsync(form["email"].ToString(), form["password"].ToString(), address, UserAgent(context), context.RequestAborted);
        if (check.Wait is { } wait)
        {
            ConsoleLog.SignInThrottled(logger, address);
            await RootSignInPageAsync(context, Waiting(wait), null, StatusCodes.Status429TooManyRequests);
            return;
        }

        if (!check.Succeeded || check.AccountId is not { } accountId)
        {
            ConsoleLog.SignInFailed(logger, address);
            await RootSignInPageAsync(context, GenericFailure, null, StatusCodes.Status401Unauthorized);
            return;
        }

        if (check.MfaSerials.Count > 0)
        {
            var pending = new PendingMfa(accountId, RootSignIn.UserName, Now.AddMinutes(5));
            context.Response.Cookies.Append(ConsoleCookies.PendingMfa, pending.Seal(secrets), ConsoleCookies.Options(context, pending.Until));
            await MfaPageAsync(context, null);
            return;
        }

        await StartRootSessionAsync(context, accountId, mfa: false);
    }

    /// <summary>The MFA step of a root sign-in (the pending sign-in names root): root's devices, not a user's.</summary>
    private async Task RootMfaPostAsync(HttpContext context, PendingMfa pending, IFormCollection form)
    {
        var address = Address(context);
        var (succeeded, wait) = await rootSignIn.CheckMfaAsync(pending.AccountId, form["code"].ToString(), address, UserAgent(context), context.RequestAborted);
        if (wait is { } delay)
        {
            ConsoleLog.SignInThrottled(logger, address);
            await MfaPageAsync(context, Waiting(delay), StatusCodes.Status429TooManyRequests);
            return;
        }

        if (!succeeded)
        {
            ConsoleLog.SignInFailed(logger, address);
            await MfaPageAsync(context, "The MFA code is not valid. Wait for the next code and try again.", StatusCodes.Status401Unauthorized);
            return;
        }

        context.Response.Cookies.Delete(ConsoleCookies.PendingMfa, ConsoleCookies.Options(context, null));
        await StartRootSessionAsync(context, pending.AccountId, mfa: true);
    }

    /// <summary>A console session whose principal is the account's root user (arn:aws:iam::ACCOUNT:root), so the policy engine treats it as root.</summary>
    private async Task StartRootSessionAsync(HttpContext context, string accountId, bool mfa)
    {
        var now = Now;
        var address = Address(context);
        var label = await signIn.AliasOfAsync(accountId, context.RequestAborted) ?? accountId;
        var arn = $"arn:aws:iam::{accountId}:root";
        var session = new ConsoleSession(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), accountId, label, EnableMFADevice.RootUserName, arn, accountId,
            now, now + ConsoleSession.Lifetime, mfa, mfa ? now : null, address, false, null, null, []) { IsRoot = true };
        WriteSession(context, session);
        ConsoleLog.SignedIn(logger, arn, mfa, address);
        context.Response.Redirect("/console/");
    }

    private Task ForgotPasswordPageAsync(HttpContext context, string? notice, int status, string? error = null)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Root user password assistance</h1>").Notice(notice).Error(error)
            .Raw("<p>Enter the e-mail address of the account's root user. A link to choose a new password is e-mailed to it, after the account's security contacts are alerted. ")
            .Raw("An account without a root e-mail address cannot be reset by mail: its operator runs <code>cloudkeep root-reset --account ID</code> on the server's machine.</p>")
            .FormStart(ForgotPasswordPath, Token(context), "stack")
            .Field("Root user e-mail address", "email", "email", autocomplete: "username")
            .Button("Send reset link").FormEnd()
            .Raw("<p>").Link(RootSignInPath, "Back to root sign-in").Raw("</p></section>");
        return RenderAsync(context, status, "Forgot password", body, null);
    }

    private async Task ForgotPasswordPostAsync(HttpContext context, IFormCollection form)
    {
        var email = form["email"].ToString().Trim();
        var address = Address(context);
        if (email.Length == 0)
        {
            await ForgotPasswordPageAsync(context, null, StatusCodes.Status400BadRequest, "Enter the root user's e-mail address.");
            return;
        }

        try
        {
            await rootReset.RequestByMailAsync(email, address, UserAgent(context), context.RequestAborted);
        }
        catch (InvalidOperationException exception)
        {
            // Nothing was mailed; the page answers as for any other address, so it reveals nothing.
            RootConsoleLog.ResetRequestFailed(logger, exception);
        }

        RootConsoleLog.ResetRequested(logger, address);
        await ForgotPasswordPageAsync(context, ForgotPasswordAnswer, StatusCodes.Status200OK);
    }

    private async Task ResetPageAsync(HttpContext context, string account, string token)
    {
        if (!await rootReset.IsValidAsync(account, token, context.RequestAborted))
        {
            await InvalidLinkAsync(context);
            return;
        }

        await ResetFormAsync(context, account, token, null, StatusCodes.Status200OK);
    }

    private async Task ResetFormAsync(HttpContext context, string account, string token, IReadOnlyList<string>? broken, int status)
    {
        var rules = await signIn.PasswordRulesAsync(account, context.RequestAborted);
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Choose a new root password</h1><p>For the root user of account ").Text(account).Raw(".</p>");
        PasswordRules(body, broken, rules);

        // The link's token travels on in the form, never in a redirect's URL or a cookie.
        body.FormStart(RootPasswordReset.ResetPath, Token(context), "stack").Hidden("account", account).Hidden("token", token)
            .Field("New password", "newPassword", "password", autocomplete: "new-password")
            .Field("Confirm new password", "confirmPassword", "password", autocomplete: "new-password")
            .Button("Set password").FormEnd().Raw("</section>");
        await RenderAsync(context, status, "Reset root password", body, null);
    }

    private async Task ResetPostAsync(HttpContext context, IFormCollection form)
    {
        var account = form["account"].ToString().Trim();
        var token = form["token"].ToString().Trim();
        var password = form["newPassword"].ToString();
        var address = Address(context);
        if (!await rootReset.IsValidAsync(account, token, context.RequestAborted))
        {
            await InvalidLinkAsync(context);
            return;
        }

        if (password.Length == 0 || password != form["confirmPassword"].ToString())
        {
            await ResetFormAsync(context, account, token, [password.Length == 0 ? "Enter a new password" : "The new password and its confirmation differ"], StatusCodes.Status400BadRequest);
            return;
        }

        var (outcome, problems) = await rootReset.CompleteAsync(account, token, password, address, UserAgent(context), context.RequestAborted);
        switch (outcome)
        {
            case RootResetOutcome.PolicyViolated:
                await ResetFormAsync(context, account, token, problems, StatusCodes.Status400BadRequest);
                return;
            case RootResetOutcome.InvalidLink:
                await InvalidLinkAsync(context);
                return;
            default:
                RootConsoleLog.ResetCompleted(logger, account, address);
                await RootSignInPageAsync(context, null, "The root user's password is set. Sign in with the account's e-mail address and the new password.");
                return;
        }
    }

    private Task InvalidLinkAsync(HttpContext context)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Reset root password</h1>").Error(InvalidResetLink)
            .Raw("<p>").Link(ForgotPasswordPath, "Ask for a new link").Raw("</p></section>");
        return RenderAsync(context, StatusCodes.Status400BadRequest, "Reset root password", body, null);
    }

    private static string UserAgent(HttpContext context) => context.Request.Headers.UserAgent.ToString();
}
