using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>A region's KMS aliases: listed with their keys, created, pointed at another key and deleted through the KMS operations.</summary>
internal sealed partial class ConsoleApp
{
    private Task AliasesPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        AliasesAsync(context, session, KmsRegion(context, null), null, null);

    private async Task AliasesAsync(HttpContext context, ConsoleSession session, string region, AwsException? actionError, string? notice)
    {
        var token = Token(context);
        var body = new Html().Raw("<h1>KMS aliases</h1><p class=\"crumbs\">").Link("/console/kms?region=" + Q(region), "Keys").Raw("</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        body.Raw("<form method=\"get\" action=\"/console/kms/aliases\" class=\"inline\"><label>Region<input type=\"text\" name=\"region\" value=\"").Text(region)
            .Raw("\"></label><button type=\"submit\" class=\"secondary\">Show</button></form>");
        var (aliases, error) = await RunAsync(context, session, "kms", "ListAliases", new JsonObject(), region);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
        }
        else
        {
            body.Raw("<table id=\"aliases\"><thead><tr><th>Alias</th><th>Key</th><th></th></tr></thead><tbody>");
            foreach (var alias in Items(aliases, "Aliases"))
            {
                var name = Str(alias["AliasName"]);
                var target = Str(alias["TargetKeyId"]);
                body.Raw("<tr>").El("td", name).Raw("<td>");
                if (target.Length > 0)
                {
                    body.Link($"/console/kms/key?region={Q(region)}&id={Q(target)}", target, "mono");
                }

                body.Raw("</td><td>");
                if (!name.StartsWith("alias/aws/", StringComparison.Ordinal))
                {
                    // AWS managed aliases cannot be changed; the others can be pointed elsewhere or deleted.
                    body.FormStart("/console/kms/aliases/update", token, "inline").Hidden("region", region).Hidden("alias", name)
                        .Field("Point to key", "targetKeyId").Button("Update", cssClass: "secondary").FormEnd()
                        .FormStart("/console/kms/aliases/delete", token, "inline").Hidden("region", region).Hidden("alias", name).Button("Delete", cssClass: "danger").FormEnd();
                }

                body.Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("<section class=\"card\"><h2>Create alias</h2>").FormStart("/console/kms/aliases/create", token, "stack").Hidden("region", region)
            .Field("Alias (without alias/)", "alias").Field("Key ID or ARN", "targetKeyId").Button("Create alias").FormEnd().Raw("</section>");
        var status = actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, status, "KMS aliases", body, session);
    }

    private async Task AliasActionAsync(HttpContext context, ConsoleSession session, IFormCollection form, string operation, JsonObject input, string done)
    {
        var region = KmsRegion(context, form);
        var (_, error) = await RunAsync(context, session, "kms", operation, input, region);
        await AliasesAsync(context, session, region, error, error is null ? done : null);
    }

    private Task AliasCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var alias = "alias/" + form!["alias"].ToString().Trim();
        return AliasActionAsync(context, session, form, "CreateAlias", new JsonObject { ["AliasName"] = alias, ["TargetKeyId"] = form["targetKeyId"].ToString().Trim() }, $"Alias {alias} created.");
    }

    private Task AliasUpdatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var alias = form!["alias"].ToString();
        return AliasActionAsync(context, session, form, "UpdateAlias", new JsonObject { ["AliasName"] = alias, ["TargetKeyId"] = form["targetKeyId"].ToString().Trim() }, $"Alias {alias} updated.");
    }

    private Task AliasDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var alias = form!["alias"].ToString();
        return AliasActionAsync(context, session, form, "DeleteAlias", new JsonObject { ["AliasName"] = alias }, $"Alias {alias} deleted.");
    }
}
