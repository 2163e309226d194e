using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Sts;
using Cloudkeep.Storage.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The web console under /console: server-rendered pages that work without scripts. Each request
/// gets the console's security headers (a strict Content-Security-Policy: only this server's own
/// stylesheet and data: images, no scripts, no framing); every post must carry its antiforgery
/// token; every page but sign-in needs a session cookie that opens under the master key and was
/// not signed out. Actions are AWS operations run through <see cref="ConsoleOperations"/>.
/// </summary>
internal sealed partial class ConsoleApp(
    SecretBox secrets,
    TimeProvider time,
    ConsoleOperations operations,
    ConsoleSignIn signIn,
    ConsoleSignInRepository state,
    RootSignIn rootSignIn,
    RootPasswordReset rootReset,
    SignInEvents signInEvents,
    ILogger<ConsoleApp> logger)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private delegate Task Page(HttpContext context, ConsoleSession session, IFormCollection? form);

    public static void Map(WebApplication app)
    {
        app.Map("/console", branch => branch.Run(context => context.RequestServices.GetRequiredService<ConsoleApp>().InvokeAsync(context)));
    }

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        var path = context.Request.Path.Value is { Length: > 0 } p ? p.TrimEnd('/') : "";
        var post = HttpMethods.IsPost(context.Request.Method);
        ConsoleLog.Request(logger, context.Request.Method, "/console" + path);
        if (!post && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (path == "/static/upload.js")
        {
            headers.CacheControl = "public, max-age=3600";
            context.Response.ContentType = "text/javascript; charset=utf-8";
            await context.Response.WriteAsync(ConsoleScripts.Upload, context.RequestAborted);
            return;
        }

        if (path == "/static/console.css")
        {
            headers.CacheControl = "public, max-age=3600";
            context.Response.ContentType = "text/css; charset=utf-8";
            await context.Response.WriteAsync(ConsoleStyles.Css, context.RequestAborted);
            return;
        }

        IFormCollection? form = null;
        if (post)
        {
            if (!context.Request.HasFormContentType)
            {
                await RenderAsync(context, StatusCodes.Status400BadRequest, "Bad request", new Html().Error("The console accepts forms only."), null);
                return;
            }

            form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!ConsoleAntiforgery.IsValid(context, secrets, form))
            {
                ConsoleLog.AntiforgeryRefused(logger, "/console" + path);
                await RenderAsync(context, StatusCodes.Status400BadRequest, "Form refused",
                    new Html().Error("This form was not sent by this console (its antiforgery token is missing or wrong). Reload the page and try again."), null);
                return;
            }
        }

        switch (path)
        {
            case "/signin":
                await (post ? SignInPostAsync(context, form!) : SignInPageAsync(context, context.Request.Query["account"].ToString(), null, null));
                return;
            case "/signin/mfa":
                await (post ? MfaPostAsync(context, form!) : MfaPageAsync(context, null));
                return;
            default:
                if (RootPage(context, path, post, form) is { } rootPage)
                {
                    await rootPage();
                    return;
                }

                break;
        }

        var session = await SessionAsync(context);
        if (session is null)
        {
            var target = "/console/signin";
            context.Response.Redirect(target);
            return;
        }

        if (path == "/signout" && post)
        {
            await SignOutAsync(context, session);
            return;
        }

        if (session.MustChangePassword && path != "/password")
        {
            context.Response.Redirect("/console/password");
            return;
        }

        Page? page = (path, post) switch
        {
            ("", false) => HomeAsync,
            ("/password", false) => ForcedPasswordPageAsync,
            ("/password", true) => ForcedPasswordPostAsync,
            ("/security", false) => SecurityPageAsync,
            ("/security/password", true) => ChangePasswordPostAsync,
            ("/security/mfa/create", true) => MfaCreatePostAsync,
            ("/security/mfa/enable", true) => MfaEnablePostAsync,
            ("/security/mfa/remove", true) => MfaRemovePostAsync,
            ("/security/keys/create", true) => AccessKeyCreatePostAsync,
            ("/security/keys/status", true) => AccessKeyStatusPostAsync,
            ("/security/keys/delete", true) => AccessKeyDeletePostAsync,
            ("/switchrole", false) => SwitchRolePageAsync,
            ("/switchrole", true) => SwitchRolePostAsync,
            ("/switchrole/back", true) => SwitchBackPostAsync,
            ("/iam", false) or ("/iam/users", false) => UsersPageAsync,
            ("/iam/users/create", true) => UserCreatePostAsync,
            ("/iam/user", false) => UserPageAsync,
            ("/iam/user/addgroup", true) => UserAddGroupPostAsync,
            ("/iam/user/removegroup", true) => UserRemoveGroupPostAsync,
            ("/iam/user/attach", true) => UserAttachPostAsync,
            ("/iam/user/detach", true) => UserDetachPostAsync,
            ("/iam/user/delete", true) => UserDeletePostAsync,
            ("/iam/user/password", true) => UserPasswordPostAsync,
            ("/iam/user/password/delete", true) => UserPasswordDeletePostAsync,
            ("/iam/user/keys/create", true) => UserKeyCreatePostAsync,
            ("/iam/user/keys/status", true) => UserKeyStatusPostAsync,
            ("/iam/user/keys/delete", true) => UserKeyDeletePostAsync,
            ("/iam/user/mfa/deactivate", true) => UserMfaDeactivatePostAsync,
            ("/iam/groups", false) => GroupsPageAsync,
            ("/iam/groups/create", true) => GroupCreatePostAsync,
            ("/iam/group", false) => GroupPageAsync,
            ("/iam/group/delete", true) => GroupDeletePostAsync,
            ("/iam/roles", false) => RolesPageAsync,
            ("/iam/roles/create", true) => RoleCreatePostAsync,
            ("/iam/role", false) => RolePageAsync,
            ("/iam/role/attach", true) => RoleAttachPostAsync,
            ("/iam/role/detach", true) => RoleDetachPostAsync,
            ("/iam/role/delete", true) => RoleDeletePostAsync,
            ("/iam/policies", false) => PoliciesPageAsync,
            ("/iam/policies/create", true) => PolicyCreatePostAsync,
            ("/iam/policy", false) => PolicyPageAsync,
            ("/iam/policy/edit", true) => PolicyEditPostAsync,
            ("/iam/passwordpolicy", false) => PasswordPolicyPageAsync,
            ("/iam/passwordpolicy", true) => PasswordPolicyPostAsync,
            ("/iam/credentialreport", false) => CredentialReportAsync,
            ("/iam/simulator", false) => SimulatorPageAsync,
            ("/iam/simulator", true) => SimulatorPostAsync,
            ("/kms", false) => KeysPageAsync,
            ("/kms/create", true) => KeyCreatePostAsync,
            ("/kms/aliases", false) => AliasesPageAsync,
            ("/kms/aliases/create", true) => AliasCreatePostAsync,
            ("/kms/aliases/update", true) => AliasUpdatePostAsync,
            ("/kms/aliases/delete", true) => AliasDeletePostAsync,
            ("/kms/key", false) => KeyPageAsync,
            ("/kms/key/action", true) => KeyActionPostAsync,
            ("/kms/key/policy", true) => KeyPolicyPostAsync,
            ("/organizations", false) => OrganizationPageAsync,
            ("/organizations/move", true) => OrganizationMovePostAsync,
            ("/organizations/policy", true) => OrganizationPolicyPostAsync,
            ("/s3", false) => BucketsPageAsync,
            ("/s3/bucket", false) => BucketPageAsync,
            ("/s3/object", false) => ObjectPageAsync,
            ("/s3/settings", false) => BucketSettingsPageAsync,
            ("/s3/settings/versioning", true) => BucketVersioningPostAsync,
            ("/s3/settings/publicaccess", true) => BucketPublicAccessPostAsync,
            ("/s3/settings/policy", true) => BucketPolicyPostAsync,
            ("/s3/settings/document", true) => BucketDocumentPostAsync,
            ("/s3/download", false) => DownloadAsync,
            ("/s3/upload", true) => UploadPostAsync,
            ("/s3/multipart/create", true) => MultipartCreatePostAsync,
            ("/s3/multipart/part", true) => MultipartPartPostAsync,
            ("/s3/multipart/complete", true) => MultipartCompletePostAsync,
            ("/s3/multipart/abort", true) => MultipartAbortPostAsync,
            ("/s3/delete", true) => DeletePostAsync,
            ("/cloudtrail", false) => EventHistoryPageAsync,
            ("/cloudtrail/event", false) => EventPageAsync,
            ("/alerts", false) => AlertsPageAsync,
            ("/findings", false) => FindingsPageAsync,
            ("/costs", false) => CostsPageAsync,
            ("/budgets", false) => BudgetsPageAsync,
            ("/budgets/create", true) => BudgetCreatePostAsync,
            ("/budgets/delete", false) => BudgetDeletePageAsync,
            ("/budgets/delete", true) => BudgetDeletePostAsync,
            ("/alarms", false) => AlarmsPageAsync,
            ("/alarm", false) => AlarmPageAsync,
            ("/alarm/actions", true) => AlarmActionsPostAsync,
            ("/alarm/state", true) => AlarmStatePostAsync,
            _ => null,
        };
        if (page is null)
        {
            await RenderAsync(context, StatusCodes.Status404NotFound, "Not found", new Html().Error("There is no such console page."), session);
            return;
        }

        await page(context, session, form);
    }

    /// <summary>The session the cookie carries, if it opens, has not expired and was not signed out.</summary>
    private async Task<ConsoleSession?> SessionAsync(HttpContext context)
    {
        var session = ConsoleSession.TryOpen(secrets, context.Request.Cookies[ConsoleCookies.Session], Now);
        if (session is null || await state.IsSignedOutAsync(session.SessionId, context.RequestAborted))
        {
            return null;
        }

        return session;
    }

    private void WriteSession(HttpContext context, ConsoleSession session) =>
        context.Response.Cookies.Append(ConsoleCookies.Session, session.Seal(secrets), ConsoleCookies.Options(context, session.Expiration));

    private async Task SignOutAsync(HttpContext context, ConsoleSession session)
    {
        await state.SignOutAsync(session.SessionId, session.Expiration, Now, context.RequestAborted);
        context.Response.Cookies.Delete(ConsoleCookies.Session, ConsoleCookies.Options(context, null));
        ConsoleLog.SignedOut(logger, session.UserArn);
        await SignInPageAsync(context, session.AccountLabel, null, "You have signed out.");
    }

    /// <summary>
    /// Whom the page acts as: the switched-to role's session while there is one that has not expired,
    /// else the signed-in user.
    /// </summary>
    private Caller CallerOf(ConsoleSession session)
    {
        if (session.RoleToken is { } token && SessionToken.TryOpen(secrets, token) is { } role && role.Expiration > Now)
        {
            return role.ToCaller();
        }

        return session.UserCaller;
    }

    private static bool Switched(ConsoleSession session, Caller caller) => session.Role is not null && caller.Kind == PrincipalKind.AssumedRole;

    private Task<(JsonObject? Output, AwsException? Error)> RunAsync(HttpContext context, ConsoleSession session, string service, string operation, JsonObject input, string region = ConsoleOperations.DefaultRegion) =>
        operations.TryRunAsync(context, CallerOf(session), service, operation, input, region);

    private Task HomeAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var caller = CallerOf(session);
        var body = new Html().Raw("<h1>Console home</h1><p>Signed in as ").El("strong", caller.Arn).Raw("</p>");
        if (!session.MultiFactorAuthPresent)
        {
            body.Notice("This sign-in did not use MFA. Policies that require MFA will refuse most actions until you assign an MFA device and sign in again with it.");
        }

        body.Raw("<ul class=\"tiles\"><li>").Link("/console/security", "My security credentials").Raw("<p>Password, MFA device and access keys.</p></li>")
            .Raw("<li>").Link("/console/switchrole", "Switch role").Raw("<p>Work in another account through a role.</p></li>")
            .Raw("<li>").Link("/console/iam/users", "IAM").Raw("<p>Users, groups, roles, policies, the password policy and the policy simulator.</p></li>")
            .Raw("<li>").Link("/console/kms", "KMS keys").Raw("<p>Keys and aliases by region, rotation, deletion and key policies.</p></li>")
            .Raw("<li>").Link("/console/organizations", "Organizations").Raw("<p>Accounts, organizational units and service control policies.</p></li>")
            .Raw("<li>").Link("/console/s3", "S3 buckets").Raw("<p>Buckets and objects of the account you are working in.</p></li>")
            .Raw("<li>").Link("/console/cloudtrail", "CloudTrail event history").Raw("<p>Who did what, when and from where, the last 90 days.</p></li>")
            .Raw("<li>").Link("/console/costs", "Cost Explorer").Raw("<p>Costs by day or month, grouped by service, account, usage type, region or tag, as a chart and a table.</p></li>")
            .Raw("<li>").Link("/console/budgets", "Budgets").Raw("<p>Cost budgets with their spend so far and e-mail alerts.</p></li>")
            .Raw("<li>").Link("/console/alarms", "CloudWatch alarms").Raw("<p>Alarms by region with their state and history; actions on or off.</p></li>")
            .Raw("<li>").Link("/console/findings", "Security findings").Raw("<p>The security watch's latest findings, and the ").Link("/console/alerts", "alerts").Raw(" raised.</p></li></ul>");
        return RenderAsync(context, StatusCodes.Status200OK, "Console home", body, session);
    }

    /// <summary>An AWS error as the page shows it: the engine's message, with its code.</summary>
    private static Html ErrorBlock(AwsException error) =>
        new Html().Raw("<div class=\"error\" role=\"alert\"><strong>").Text(error.Code).Raw("</strong>: ").Text(error.Message).Raw("</div>");

    private Task RenderErrorAsync(HttpContext context, ConsoleSession session, string title, AwsException error) =>
        RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, title, new Html().Raw("<h1>").Text(title).Raw("</h1>").Raw(ErrorBlock(error).ToString()), session);

    private async Task RenderAsync(HttpContext context, int status, string title, Html body, ConsoleSession? session)
    {
        var token = ConsoleAntiforgery.TokenFor(context, secrets);
        var page = new Html().Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Text(title).Raw(" · Cloudkeep console</title><link rel=\"stylesheet\" href=\"/console/static/console.css\"></head><body><header class=\"top\"><a class=\"brand\" href=\"/console/\">Cloudkeep</a>");
        if (session is not null && !session.MustChangePassword)
        {
            var caller = CallerOf(session);
            page.Raw("<nav><a href=\"/console/iam/users\">IAM</a><a href=\"/console/s3\">S3</a><a href=\"/console/kms\">KMS</a><a href=\"/console/organizations\">Organizations</a><a href=\"/console/cloudtrail\">CloudTrail</a><a href=\"/console/costs\">Cost Explorer</a><a href=\"/console/budgets\">Budgets</a><a href=\"/console/alarms\">Alarms</a><a href=\"/console/findings\">Findings</a><a href=\"/console/alerts\">Alerts</a><a href=\"/console/security\">Security credentials</a></nav><div class=\"spacer\"></div>");
            if (Switched(session, caller) && session.Role is { } role)
            {
                page.Raw("<span class=\"badge colour-").Text(role.Colour).Raw("\" id=\"role-badge\">").Text($"{role.DisplayName} @ {role.AccountId}").Raw("</span>");
            }

            page.Raw("<details class=\"menu\"><summary id=\"identity-menu\">").Text($"{session.UserName} @ {session.AccountLabel}").Raw("</summary><div class=\"menu-body\">");
            if (Switched(session, caller))
            {
                page.FormStart("/console/switchrole/back", token).Button($"Back to {session.UserName}", cssClass: "link").FormEnd();
            }

            page.Link("/console/security", "My security credentials").Link("/console/switchrole", "Switch role");
            if (session.RecentRoles.Count > 0)
            {
                page.Raw("<p class=\"menu-heading\">Role history</p>");
                foreach (var recent in session.RecentRoles)
                {
                    page.FormStart("/console/switchrole", token, "inline").Hidden("account", recent.AccountId).Hidden("roleName", recent.RoleName)
                        .Hidden("displayName", recent.DisplayName).Hidden("colour", recent.Colour)
                        .Button($"{recent.DisplayName} @ {recent.AccountId}", cssClass: "link colour-" + recent.Colour).FormEnd();
                }
            }

            page.FormStart("/console/signout", token).Button("Sign out", cssClass: "link").FormEnd().Raw("</div></details>");
        }
        else if (session is not null)
        {
            page.Raw("<div class=\"spacer\"></div>").FormStart("/console/signout", token).Button("Sign out", cssClass: "link").FormEnd();
        }

        page.Raw("</header><main>").Raw(body.ToString()).Raw("</main></body></html>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(page.ToString(), context.RequestAborted);
    }

    /// <summary>An antiforgery token for a form on the page being built.</summary>
    private string Token(HttpContext context) => ConsoleAntiforgery.TokenFor(context, secrets);
}
