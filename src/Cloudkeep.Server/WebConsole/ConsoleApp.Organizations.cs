using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>Organizations (from the management account): the accounts, the tree of organizational units, and the SCPs with their targets.</summary>
internal sealed partial class ConsoleApp
{
    private Task OrganizationPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => OrganizationAsync(context, session, null, null);

    private async Task OrganizationAsync(HttpContext context, ConsoleSession session, Core.Errors.AwsException? actionError, string? notice)
    {
        var (roots, error) = await RunAsync(context, session, "organizations", "ListRoots", new JsonObject());
        if (error is not null)
        {
            await RenderErrorAsync(context, session, "Organization", error);
            return;
        }

        var body = new Html().Raw("<h1>Organization</h1>").Notice(notice).Raw(actionError is null ? "" : ErrorBlock(actionError).ToString()).Raw("<section class=\"card\"><h2>Accounts</h2><table id=\"accounts\"><thead><tr><th>Name</th><th>Account ID</th><th>E-mail</th><th>Status</th></tr></thead><tbody>");
        var (accounts, _) = await RunAsync(context, session, "organizations", "ListAccounts", new JsonObject());
        foreach (var account in Items(accounts, "Accounts"))
        {
            body.Raw("<tr>").El("td", Str(account["Name"])).El("td", Str(account["Id"]), "mono").El("td", Str(account["Email"])).El("td", Str(account["Status"])).Raw("</tr>");
        }

        body.Raw("</tbody></table></section><section class=\"card\"><h2>Organizational units</h2><ul class=\"tree\" id=\"tree\">");
        foreach (var root in Items(roots, "Roots"))
        {
            body.Raw("<li>").El("strong", "Root " + Str(root["Id"]));
            await TreeAsync(context, session, body, Str(root["Id"]), depth: 0);
            body.Raw("</li>");
        }

        body.Raw("</ul></section><section class=\"card\"><h2>Service control policies</h2><table id=\"scps\"><thead><tr><th>Policy</th><th>ID</th><th>Targets</th></tr></thead><tbody>");
        var (policies, policiesError) = await RunAsync(context, session, "organizations", "ListPolicies", new JsonObject { ["Filter"] = "SERVICE_CONTROL_POLICY" });
        foreach (var policy in Items(policies, "Policies"))
        {
            var (targets, _) = await RunAsync(context, session, "organizations", "ListTargetsForPolicy", new JsonObject { ["PolicyId"] = Str(policy["Id"]) });
            body.Raw("<tr>").El("td", Str(policy["Name"])).El("td", Str(policy["Id"]), "mono").El("td", string.Join(", ", Items(targets, "Targets").Select(t => $"{Str(t["Name"])} ({Str(t["Type"])})"))).Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        if (policiesError is not null)
        {
            body.Raw(ErrorBlock(policiesError).ToString());
        }

        body.Raw("</section>").Raw(OrganizationChangeForms(context).ToString());
        var status = actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, status, "Organization", body, session);
    }

    private async Task TreeAsync(HttpContext context, ConsoleSession session, Html body, string parent, int depth)
    {
        if (depth > 5)
        {
            return;
        }

        body.Raw("<ul>");
        var (accounts, _) = await RunAsync(context, session, "organizations", "ListAccountsForParent", new JsonObject { ["ParentId"] = parent });
        foreach (var account in Items(accounts, "Accounts"))
        {
            body.Raw("<li>").Text($"{Str(account["Name"])} ({Str(account["Id"])})").Raw("</li>");
        }

        var (units, _) = await RunAsync(context, session, "organizations", "ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent });
        foreach (var unit in Items(units, "OrganizationalUnits"))
        {
            body.Raw("<li>").El("strong", $"OU {Str(unit["Name"])} ({Str(unit["Id"])})");
            await TreeAsync(context, session, body, Str(unit["Id"]), depth + 1);
            body.Raw("</li>");
        }

        body.Raw("</ul>");
    }
}
