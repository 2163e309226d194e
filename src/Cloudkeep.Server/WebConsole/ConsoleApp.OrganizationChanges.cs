using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>Changing the organization from the management account: moving an account to another parent, attaching and detaching SCPs.</summary>
internal sealed partial class ConsoleApp
{
    private Html OrganizationChangeForms(HttpContext context)
    {
        var token = Token(context);
        return new Html().Raw("<section class=\"card\" id=\"move-account\"><h2>Move an account</h2>").FormStart("/console/organizations/move", token, "stack")
            .Field("Account ID", "accountId").Field("Destination (root or OU ID)", "destination").Button("Move account").FormEnd().Raw("</section>")
            .Raw("<section class=\"card\" id=\"scp-targets\"><h2>Attach or detach a service control policy</h2>").FormStart("/console/organizations/policy", token, "stack")
            .Field("Policy ID", "policyId").Field("Target (root, OU or account ID)", "targetId")
            .Raw("<div class=\"row\"><button type=\"submit\" name=\"action\" value=\"attach\">Attach</button><button type=\"submit\" name=\"action\" value=\"detach\" class=\"secondary\">Detach</button></div>")
            .FormEnd().Raw("</section>");
    }

    private async Task OrganizationMovePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var account = form!["accountId"].ToString().Trim();
        var destination = form["destination"].ToString().Trim();

        // MoveAccount names the account's current parent, as the API asks: read it first.
        var (parents, error) = await RunAsync(context, session, "organizations", "ListParents", new JsonObject { ["ChildId"] = account });
        if (error is null)
        {
            var source = Str(Items(parents, "Parents").FirstOrDefault()?["Id"]);
            (_, error) = await RunAsync(context, session, "organizations", "MoveAccount", new JsonObject { ["AccountId"] = account, ["SourceParentId"] = source, ["DestinationParentId"] = destination });
        }

        await OrganizationAsync(context, session, error, error is null ? $"Account {account} moved." : null);
    }

    private async Task OrganizationPolicyPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var attach = form!["action"].ToString() != "detach";
        var input = new JsonObject { ["PolicyId"] = form["policyId"].ToString().Trim(), ["TargetId"] = form["targetId"].ToString().Trim() };
        var (_, error) = await RunAsync(context, session, "organizations", attach ? "AttachPolicy" : "DetachPolicy", input);
        await OrganizationAsync(context, session, error, error is null ? (attach ? "Policy attached." : "Policy detached.") : null);
    }
}
