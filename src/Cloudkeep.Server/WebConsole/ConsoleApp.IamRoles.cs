using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Roles (list, view, create with a trust policy, attach and detach policies, delete) and creating
/// customer managed policies, each through the IAM operation as the signed-in person, the engine's
/// or IAM's message above the kept drafts on a refusal.
/// </summary>
internal sealed partial class ConsoleApp
{
    private Task RolesPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        RolesAsync(context, session, null, null, null);

    private async Task RolesAsync(HttpContext context, ConsoleSession session, AwsException? actionError, string? notice, IFormCollection? draft)
    {
        var (listed, error) = await RunAsync(context, session, "iam", "ListRoles", Paged(context, new JsonObject()));
        var content = new Html();
        if (listed is not null)
        {
            content.Raw("<table id=\"roles\"><thead><tr><th>Role name</th><th>Description</th><th>Created</th></tr></thead><tbody>");
            foreach (var role in Items(listed, "Roles"))
            {
                var name = Str(role["RoleName"]);
                content.Raw("<tr><td>").Link("/console/iam/role?name=" + Q(name), name).Raw("</td>").El("td", Str(role["Description"])).El("td", Date(role["CreateDate"])).Raw("</tr>");
            }

            content.Raw("</tbody></table>").Raw(NextPage(listed, "/console/iam/roles").ToString());
        }

        // A role that people of this account may assume with MFA: the usual start, edited before saving.
        var account = IamAccountOf(CallerOf(session).Arn);
        var trust = draft?["trust"].ToString() ?? Pretty(Uri.EscapeDataString(
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"} } }]}"""));
        content.Raw("<section class=\"card\" id=\"create-role\"><h2>Create role</h2>").FormStart("/console/iam/roles/create", Token(context), "stack")
            .Field("Role name", "roleName", value: draft?["roleName"].ToString())
            .Field("Description", "description", value: draft?["description"].ToString(), required: false)
            .Field("Maximum session (seconds)", "maxSession", "number", draft?["maxSession"].ToString() is { Length: > 0 } max ? max : "3600")
            .Raw("<label>Trust policy<textarea name=\"trust\" id=\"trust\" rows=\"14\" spellcheck=\"false\">").Text(trust).Raw("</textarea></label>")
            .Button("Create role").FormEnd().Raw("</section>");
        await IamPageAsync(context, session, "roles", "Roles", content, actionError ?? error, notice);
    }

    private async Task RoleCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["roleName"].ToString().Trim();
        var input = new JsonObject { ["RoleName"] = name, ["AssumeRolePolicyDocument"] = form["trust"].ToString() };
        if (form["description"].ToString() is { Length: > 0 } description)
        {
            input["Description"] = description;
        }

        if (long.TryParse(form["maxSession"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            // Decoded requests hold integers as longs, and the handler reads them so.
            input["MaxSessionDuration"] = seconds;
        }

        var (_, error) = await RunAsync(context, session, "iam", "CreateRole", input);
        if (error is null)
        {
            context.Response.Redirect("/console/iam/role?name=" + Q(name));
            return;
        }

        await RolesAsync(context, session, error, null, form);
    }

    private Task RolePageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        RoleAsync(context, session, context.Request.Query["name"].ToString(), null, null);

    private async Task RoleAsync(HttpContext context, ConsoleSession session, string name, AwsException? actionError, string? notice)
    {
        var (got, error) = await RunAsync(context, session, "iam", "GetRole", new JsonObject { ["RoleName"] = name });
        var content = new Html();
        var token = Token(context);
        if (got?["Role"] is JsonObject role)
        {
            content.Raw("<dl class=\"facts\"><dt>ARN</dt>").El("dd", Str(role["Arn"])).Raw("<dt>Maximum session</dt>").El("dd", role["MaxSessionDuration"]?.ToString() + " s")
                .Raw("<dt>Created</dt>").El("dd", Date(role["CreateDate"])).Raw("</dl><section class=\"card\"><h2>Trust policy</h2>")
                .El("pre", Pretty(Str(role["AssumeRolePolicyDocument"]))).Raw("</section><section class=\"card\" id=\"role-policies\"><h2>Permissions policies</h2><ul>");
            var (attached, _) = await RunAsync(context, session, "iam", "ListAttachedRolePolicies", new JsonObject { ["RoleName"] = name });
            foreach (var policy in Items(attached, "AttachedPolicies"))
            {
                var arn = Str(policy["PolicyArn"]);
                content.Raw("<li>").Link("/console/iam/policy?arn=" + Q(arn), Str(policy["PolicyName"])).Raw(" ")
                    .FormStart("/console/iam/role/detach", token, "inline").Hidden("name", name).Hidden("policyArn", arn).Button("Detach", cssClass: "link").FormEnd().Raw("</li>");
            }

            var (inline, _) = await RunAsync(context, session, "iam", "ListRolePolicies", new JsonObject { ["RoleName"] = name });
            foreach (var policyName in (inline?["PolicyNames"] as JsonArray ?? []).Select(Str))
            {
                content.Raw("<li>").Text(policyName).Raw(" <span class=\"hint\">(inline)</span></li>");
            }

            content.Raw("</ul>").FormStart("/console/iam/role/attach", token, "inline").Hidden("name", name).Field("Attach policy (ARN)", "policyArn")
                .Button("Attach", cssClass: "secondary").FormEnd().Raw("</section><p>")
                .Link($"/console/switchrole?account={Q(IamAccountOf(Str(role["Arn"])))}&roleName={Q(name)}", "Switch to this role").Raw("</p>")
                .Raw("<section class=\"card\"><h2>Delete</h2>").FormStart("/console/iam/role/delete", token).Hidden("name", name).Button("Delete role", cssClass: "danger").FormEnd().Raw("</section>");
        }

        await IamPageAsync(context, session, "roles", name, content, actionError ?? error, notice);
    }

    private async Task RoleActionAsync(HttpContext context, ConsoleSession session, IFormCollection form, string operation, string done)
    {
        var name = form["name"].ToString();
        var (_, error) = await RunAsync(context, session, "iam", operation, new JsonObject { ["RoleName"] = name, ["PolicyArn"] = form["policyArn"].ToString().Trim() });
        await RoleAsync(context, session, name, error, error is null ? done : null);
    }

    private Task RoleAttachPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        RoleActionAsync(context, session, form!, "AttachRolePolicy", "Policy attached.");

    private Task RoleDetachPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        RoleActionAsync(context, session, form!, "DetachRolePolicy", "Policy detached.");

    private async Task RoleDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var (_, error) = await RunAsync(context, session, "iam", "DeleteRole", new JsonObject { ["RoleName"] = name });
        if (error is not null)
        {
            await RoleAsync(context, session, name, error, null);
            return;
        }

        await RolesAsync(context, session, null, $"Role {name} deleted.", null);
    }

    private Html PolicyCreateForm(HttpContext context, IFormCollection? draft, AwsException? error, string? notice) =>
        new Html().Raw("<section class=\"card\" id=\"create-policy\"><h2>Create policy</h2>").Notice(notice).Raw(error is null ? "" : ErrorBlock(error).ToString())
            .FormStart("/console/iam/policies/create", Token(context), "stack")
            .Field("Policy name", "policyName", value: draft?["policyName"].ToString())
            .Field("Description", "description", value: draft?["description"].ToString(), required: false)
            .Raw("<label>JSON<textarea name=\"document\" id=\"new-policy\" rows=\"14\" spellcheck=\"false\">")
            .Text(draft?["document"].ToString() ?? "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}").Raw("</textarea></label>")
            .Button("Create policy").FormEnd().Raw("</section>");

    private async Task PolicyCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var input = new JsonObject { ["PolicyName"] = form!["policyName"].ToString().Trim(), ["PolicyDocument"] = form["document"].ToString() };
        if (form["description"].ToString() is { Length: > 0 } description)
        {
            input["Description"] = description;
        }

        var (created, error) = await RunAsync(context, session, "iam", "CreatePolicy", input);
        if (error is null && created?["Policy"] is JsonObject policy)
        {
            context.Response.Redirect("/console/iam/policy?arn=" + Q(Str(policy["Arn"])));
            return;
        }

        // The draft stays in the form with IAM's message (MalformedPolicyDocument, EntityAlreadyExists) above it.
        await IamPageAsync(context, session, "policies", "Policies", PolicyCreateForm(context, form, error, null), null, null, error);
    }
}
