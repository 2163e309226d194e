using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Switch role: the form (which the switch-role URL fills in, for the person to confirm), AssumeRole
/// run as the signed-in user (so the sign-in's MFA carries over and the role's trust policy, the
/// user's policies and aws:SourceIp decide), the badge while switched, and back to the user.
/// </summary>
internal sealed partial class ConsoleApp
{
    internal static readonly string[] Colours = ["red", "orange", "yellow", "green", "blue"];

    private const int RecentRolesKept = 5;

    private Task SwitchRolePageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var query = context.Request.Query;
        return SwitchRoleFormAsync(context, session, query["account"].ToString(), query["roleName"].ToString(), query["displayName"].ToString(), query["color"].ToString(), null, StatusCodes.Status200OK);
    }

    private Task SwitchRoleFormAsync(HttpContext context, ConsoleSession session, string account, string roleName, string displayName, string colour, AwsException? error, int status)
    {
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Switch role</h1>");
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
        }

        if (account.Length > 0 && error is null)
        {
            body.Notice("Check the account and role below, then choose Switch Role to confirm.");
        }

        body.Raw("<p>Work in another account through a role you may assume. Your sign-in's MFA carries over to the role session.</p>")
            .FormStart("/console/switchrole", Token(context), "stack")
            .Field("Account (12-digit ID or alias)", "account", value: account)
            .Field("Role name", "roleName", value: roleName)
            .Field("Display name (optional)", "displayName", value: displayName, required: false)
            .Raw("<fieldset class=\"colours\"><legend>Colour</legend>");
        var chosen = Colours.Contains(colour) ? colour : Colours[0];
        foreach (var option in Colours)
        {
            body.Raw("<label class=\"colour-").Text(option).Raw("\"><input type=\"radio\" name=\"colour\" value=\"").Text(option).Raw("\"")
                .Raw(option == chosen ? " checked" : "").Raw(">").Text(option).Raw("</label>");
        }

        body.Raw("</fieldset>").Button("Switch Role").FormEnd().Raw("</section>");
        return RenderAsync(context, status, "Switch role", body, session);
    }

    private async Task SwitchRolePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var accountText = form!["account"].ToString().Trim();
        var roleName = form["roleName"].ToString().Trim();
        var colour = Colours.Contains(form["colour"].ToString()) ? form["colour"].ToString() : Colours[0];
        var accountId = await signIn.ResolveAccountAsync(accountText, context.RequestAborted) ?? accountText;
        var displayName = form["displayName"].ToString().Trim() is { Length: > 0 } given ? given : roleName;
        var roleArn = $"arn:aws:iam::{accountId}:role/{roleName}";
        var (assumed, error) = await operations.TryRunAsync(context, session.UserCaller, "sts", "AssumeRole", new JsonObject
        {
            ["RoleArn"] = roleArn,
            ["RoleSessionName"] = session.UserName,
            ["DurationSeconds"] = 3600L,
        });
        if (error is not null)
        {
            ConsoleLog.SwitchRefused(logger, session.UserArn, roleArn, error.Code);
            await SwitchRoleFormAsync(context, session, accountText, roleName, displayName, colour, error, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest);
            return;
        }

        var token = assumed!["Credentials"]!["SessionToken"]!.GetValue<string>();
        var role = new ConsoleRole(accountId, roleName, displayName, colour);
        var recent = new List<ConsoleRole> { role };
        recent.AddRange(session.RecentRoles.Where(r => r.AccountId != accountId || r.RoleName != roleName).Take(RecentRolesKept - 1));
        WriteSession(context, session with { Role = role, RoleToken = token, RecentRoles = recent });
        ConsoleLog.Switched(logger, session.UserArn, roleArn);
        context.Response.Redirect("/console/");
    }

    private Task SwitchBackPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        WriteSession(context, session with { Role = null, RoleToken = null });
        context.Response.Redirect("/console/");
        return Task.CompletedTask;
    }
}
