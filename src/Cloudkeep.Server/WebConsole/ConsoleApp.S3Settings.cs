using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>A bucket's settings: versioning, the public access block, its policy in an editor, then its configuration documents (<see cref="BucketDocumentCardsAsync"/>).</summary>
internal sealed partial class ConsoleApp
{
    private static readonly string[] BlockFlags = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

    private Task BucketSettingsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        BucketSettingsAsync(context, session, context.Request.Query["name"].ToString(), null, null, null);

    private async Task BucketSettingsAsync(HttpContext context, ConsoleSession session, string name, string? draft, AwsException? actionError, string? notice, string? draftKind = null)
    {
        var token = Token(context);
        var body = new Html().Raw("<h1>").Text(name).Raw(" · settings</h1><p class=\"crumbs\">").Link("/console/s3/bucket?name=" + Q(name), "Objects").Raw("</p>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        var bucket = new JsonObject { ["Bucket"] = name };
        body.Raw("<section class=\"card\" id=\"versioning\"><h2>Versioning</h2>");
        var (versioning, versioningError) = await RunAsync(context, session, "s3", "GetBucketVersioning", bucket.DeepClone().AsObject());
        var status = Str(versioning?["Status"]) is { Length: > 0 } s ? s : "Disabled";
        body.Raw(versioningError is null ? "" : ErrorBlock(versioningError).ToString()).Raw("<p>Status: ").El("strong", status).Raw("</p>")
            .FormStart("/console/s3/settings/versioning", token, "inline").Hidden("name", name).Hidden("status", status == "Enabled" ? "Suspended" : "Enabled")
            .Button(status == "Enabled" ? "Suspend versioning" : "Enable versioning", cssClass: "secondary").FormEnd().Raw("</section>");

        body.Raw("<section class=\"card\" id=\"public-access\"><h2>Block public access</h2>");
        var (block, blockError) = await RunAsync(context, session, "s3", "GetPublicAccessBlock", bucket.DeepClone().AsObject());
        if (blockError is { Code: not "NoSuchPublicAccessBlockConfiguration" })
        {
            body.Raw(ErrorBlock(blockError).ToString());
        }

        var configuration = block?["PublicAccessBlockConfiguration"] as JsonObject;
        body.FormStart("/console/s3/settings/publicaccess", token, "stack").Hidden("name", name);
        foreach (var flag in BlockFlags)
        {
            var on = configuration?[flag] is JsonValue v && v.TryGetValue<bool>(out var set) && set;
            body.Raw("<label class=\"check\"><input type=\"checkbox\" name=\"").Text(flag).Raw("\" value=\"true\"").Raw(on ? " checked" : "").Raw(">").Text(flag).Raw("</label>");
        }

        body.Button("Save public access block").FormEnd().Raw("</section>");

        body.Raw("<section class=\"card\" id=\"bucket-policy\"><h2>Bucket policy</h2>");
        var (policy, policyError) = await RunAsync(context, session, "s3", "GetBucketPolicy", bucket.DeepClone().AsObject());
        if (policyError is { Code: not "NoSuchBucketPolicy" })
        {
            body.Raw(ErrorBlock(policyError).ToString());
        }

        body.FormStart("/console/s3/settings/policy", token, "stack").Hidden("name", name)
            .Raw("<label>JSON (empty to delete the policy)<textarea name=\"policy\" id=\"policy\" rows=\"18\" spellcheck=\"false\">")
            .Text((draftKind is null ? draft : null) ?? (Str(policy?["Policy"]) is { Length: > 0 } text ? Pretty(Uri.EscapeDataString(text)) : "")).Raw("</textarea></label>")
            .Button("Save bucket policy").FormEnd().Raw("</section>");

        await BucketDocumentCardsAsync(body, context, session, name, token, draftKind, draft);
        var code = actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, code, name, body, session);
    }

    private async Task BucketVersioningPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var status = form["status"].ToString() == "Suspended" ? "Suspended" : "Enabled";
        var (_, error) = await RunAsync(context, session, "s3", "PutBucketVersioning", new JsonObject { ["Bucket"] = name, ["VersioningConfiguration"] = new JsonObject { ["Status"] = status } });
        await BucketSettingsAsync(context, session, name, null, error, error is null ? $"Versioning {status.ToLowerInvariant()}." : null);
    }

    private async Task BucketPublicAccessPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var configuration = new JsonObject();
        foreach (var flag in BlockFlags)
        {
            configuration[flag] = form[flag].ToString() == "true";
        }

        var (_, error) = await RunAsync(context, session, "s3", "PutPublicAccessBlock", new JsonObject { ["Bucket"] = name, ["PublicAccessBlockConfiguration"] = configuration });
        await BucketSettingsAsync(context, session, name, null, error, error is null ? "Public access block saved." : null);
    }

    private async Task BucketPolicyPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var policy = form["policy"].ToString();
        var (_, error) = policy.Trim().Length == 0
            ? await RunAsync(context, session, "s3", "DeleteBucketPolicy", new JsonObject { ["Bucket"] = name })
            : await RunAsync(context, session, "s3", "PutBucketPolicy", new JsonObject { ["Bucket"] = name, ["Policy"] = policy });
        await BucketSettingsAsync(context, session, name, error is null ? null : policy, error, error is null ? "Bucket policy saved." : null);
    }
}
