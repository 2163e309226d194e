using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// KMS pages for one region of the account worked in: keys with their aliases; a key's state,
/// enable/disable, scheduled deletion and its cancellation, rotation, and the key policy editor;
/// creating a key with an alias. Each is the KMS operation, decided by the key policy and IAM together.
/// </summary>
internal sealed partial class ConsoleApp
{
    private const string DefaultKmsRegion = "eu-west-2";

    private static string KmsRegion(HttpContext context, IFormCollection? form)
    {
        var region = form?["region"].ToString() is { Length: > 0 } posted ? posted : context.Request.Query["region"].ToString();
        return region.Length > 0 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? region : DefaultKmsRegion;
    }

    private Task KeysPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => KeysAsync(context, session, KmsRegion(context, null), null, null);

    private async Task KeysAsync(HttpContext context, ConsoleSession session, string region, AwsException? actionError, string? notice)
    {
        var body = new Html().Raw("<h1>KMS keys</h1><p class=\"crumbs\">").Link("/console/kms/aliases?region=" + Q(region), "Aliases").Raw("</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        body.Raw("<form method=\"get\" action=\"/console/kms\" class=\"inline\"><label>Region<input type=\"text\" name=\"region\" value=\"").Text(region).Raw("\"></label><button type=\"submit\" class=\"secondary\">Show</button></form>");
        var (keys, error) = await RunAsync(context, session, "kms", "ListKeys", new JsonObject(), region);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
        }
        else
        {
            var (aliases, _) = await RunAsync(context, session, "kms", "ListAliases", new JsonObject(), region);
            var aliasOf = Items(aliases, "Aliases").Where(a => a["TargetKeyId"] is not null).GroupBy(a => Str(a["TargetKeyId"])).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(a => Str(a["AliasName"]))));
            body.Raw("<table id=\"keys\"><thead><tr><th>Key ID</th><th>Aliases</th><th>State</th><th>Description</th></tr></thead><tbody>");
            foreach (var key in Items(keys, "Keys"))
            {
                var id = Str(key["KeyId"]);
                var (described, _) = await RunAsync(context, session, "kms", "DescribeKey", new JsonObject { ["KeyId"] = id }, region);
                var meta = described?["KeyMetadata"] as JsonObject;
                body.Raw("<tr><td>").Link($"/console/kms/key?region={Q(region)}&id={Q(id)}", id, "mono").Raw("</td>").El("td", aliasOf.GetValueOrDefault(id, ""))
                    .El("td", Str(meta?["KeyState"])).El("td", Str(meta?["Description"])).Raw("</tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("<section class=\"card\"><h2>Create key</h2>").FormStart("/console/kms/create", Token(context), "stack").Hidden("region", region)
            .Field("Description", "description", required: false).Field("Alias (without alias/, optional)", "alias", required: false)
            .Button("Create symmetric key").FormEnd().Raw("</section>");
        await RenderAsync(context, StatusCodes.Status200OK, "KMS keys", body, session);
    }

    private async Task KeyCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = KmsRegion(context, form);
        var input = new JsonObject();
        if (form!["description"].ToString() is { Length: > 0 } description)
        {
            input["Description"] = description;
        }

        var (created, error) = await RunAsync(context, session, "kms", "CreateKey", input, region);
        if (error is null && form["alias"].ToString().Trim() is { Length: > 0 } alias && created?["KeyMetadata"]?["KeyId"] is { } keyId)
        {
            (_, error) = await RunAsync(context, session, "kms", "CreateAlias", new JsonObject { ["AliasName"] = "alias/" + alias, ["TargetKeyId"] = keyId.ToString() }, region);
        }

        await KeysAsync(context, session, region, error, error is null ? "Key created." : null);
    }

    private Task KeyPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        KeyAsync(context, session, KmsRegion(context, null), context.Request.Query["id"].ToString(), null, null, null);

    private async Task KeyAsync(HttpContext context, ConsoleSession session, string region, string id, string? draft, AwsException? actionError, string? notice)
    {
        var (described, error) = await RunAsync(context, session, "kms", "DescribeKey", new JsonObject { ["KeyId"] = id }, region);
        if (error is not null)
        {
            await RenderErrorAsync(context, session, id, error);
            return;
        }

        var meta = (JsonObject)described!["KeyMetadata"]!;
        var token = Token(context);
        var body = new Html().Raw("<h1>").Text(id).Raw("</h1><p class=\"crumbs\">").Link("/console/kms?region=" + Q(region), "KMS keys").Raw("</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        var state = Str(meta["KeyState"]);
        body.Raw("<dl class=\"facts\" id=\"key\"><dt>ARN</dt>").El("dd", Str(meta["Arn"])).Raw("<dt>State</dt>").El("dd", state)
            .Raw("<dt>Description</dt>").El("dd", Str(meta["Description"])).Raw("<dt>Created</dt>").El("dd", Date(meta["CreationDate"]));
        if (meta["DeletionDate"] is not null)
        {
            body.Raw("<dt>Deletion date</dt>").El("dd", Date(meta["DeletionDate"]));
        }

        var (rotation, _) = await RunAsync(context, session, "kms", "GetKeyRotationStatus", new JsonObject { ["KeyId"] = id }, region);
        var rotating = rotation?["KeyRotationEnabled"] is JsonValue r && r.TryGetValue<bool>(out var on) && on;
        body.Raw("<dt>Automatic rotation</dt>").El("dd", rotating ? "on" : "off").Raw("</dl><p class=\"actions\">");
        void Action(string action, string label, string cssClass = "secondary") =>
            body.FormStart("/console/kms/key/action", token, "inline").Hidden("region", region).Hidden("id", id).Hidden("action", action).Button(label, cssClass: cssClass).FormEnd().Raw(" ");
        if (state == "PendingDeletion")
        {
            Action("CancelKeyDeletion", "Cancel deletion");
        }
        else
        {
            Action(state == "Enabled" ? "DisableKey" : "EnableKey", state == "Enabled" ? "Disable" : "Enable");
            Action(rotating ? "DisableKeyRotation" : "EnableKeyRotation", rotating ? "Turn rotation off" : "Turn rotation on");
            Action("ScheduleKeyDeletion", "Schedule deletion (30 days)", "danger");
        }

        body.Raw("</p><section class=\"card\" id=\"editor\"><h2>Key policy</h2>");
        var (policy, policyError) = await RunAsync(context, session, "kms", "GetKeyPolicy", new JsonObject { ["KeyId"] = id, ["PolicyName"] = "default" }, region);
        if (policyError is not null)
        {
            body.Raw(ErrorBlock(policyError).ToString());
        }

        body.FormStart("/console/kms/key/policy", token, "stack").Hidden("region", region).Hidden("id", id)
            .Raw("<label>JSON<textarea name=\"policy\" id=\"policy\" rows=\"20\" spellcheck=\"false\">").Text(draft ?? Pretty(Uri.EscapeDataString(Str(policy?["Policy"])))).Raw("</textarea></label>")
            .Button("Save key policy").FormEnd().Raw("</section>");
        var status = actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, status, id, body, session);
    }

    private async Task KeyActionPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = KmsRegion(context, form);
        var id = form!["id"].ToString();
        var action = form["action"].ToString();
        if (action is not ("EnableKey" or "DisableKey" or "EnableKeyRotation" or "DisableKeyRotation" or "ScheduleKeyDeletion" or "CancelKeyDeletion"))
        {
            await KeyAsync(context, session, region, id, null, CommonErrors.InvalidParameterValue.ToException("Unknown key action."), null);
            return;
        }

        var input = new JsonObject { ["KeyId"] = id };
        if (action == "ScheduleKeyDeletion")
        {
            input["PendingWindowInDays"] = 30L;
        }

        var (_, error) = await RunAsync(context, session, "kms", action, input, region);
        await KeyAsync(context, session, region, id, null, error, error is null ? "Done." : null);
    }

    private async Task KeyPolicyPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var region = KmsRegion(context, form);
        var id = form!["id"].ToString();
        var policy = form["policy"].ToString();
        var (_, error) = await RunAsync(context, session, "kms", "PutKeyPolicy", new JsonObject { ["KeyId"] = id, ["PolicyName"] = "default", ["Policy"] = policy }, region);
        await KeyAsync(context, session, region, id, error is null ? null : policy, error, error is null ? "Key policy saved." : null);
    }
}
