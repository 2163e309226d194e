using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// "My security credentials" for the signed-in user: password, virtual MFA device, access keys. Every
/// call runs as the user (not a role switched to), so the user's policies decide, MFA condition included.
/// </summary>
internal sealed partial class ConsoleApp
{
    internal static string Date(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var date)
            ? date.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "—";

    private Task SecurityPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        SecurityPageAsync(context, session, null, null, StatusCodes.Status200OK);

    private async Task SecurityPageAsync(HttpContext context, ConsoleSession session, Html? top, string? notice, int status)
    {
        var caller = session.UserCaller;
        var token = Token(context);
        var body = new Html().Raw("<h1>My security credentials</h1><p class=\"hint\">").Text(caller.Arn).Raw("</p>").Notice(notice);
        if (top is not null)
        {
            body.Raw(top.ToString());
        }

        if (session.IsRoot)
        {
            body.Raw("<section class=\"card\" id=\"password\"><h2>Root user password</h2><p>The root user's password is changed by a reset: sign out, then choose \"Forgot password?\" on the root sign-in page.</p></section>");
        }
        else
        {
            body.Raw("<section class=\"card\" id=\"password\"><h2>Console password</h2>").FormStart("/console/security/password", token, "stack")
                .Field("Current password", "oldPassword", "password", autocomplete: "current-password")
                .Field("New password", "newPassword", "password", autocomplete: "new-password")
                .Field("Confirm new password", "confirmPassword", "password", autocomplete: "new-password")
                .Button("Change password").FormEnd().Raw("</section>");
        }

        body.Raw("<section class=\"card\" id=\"mfa\"><h2>Multi-factor authentication (MFA)</h2>");
        var (devices, mfaError) = await operations.TryRunAsync(context, caller, "iam", "ListMFADevices", new JsonObject());
        if (mfaError is not null)
        {
            body.Raw(ErrorBlock(mfaError).ToString());
        }
        else if (devices!["MFADevices"] is JsonArray { Count: > 0 } list)
        {
            body.Raw("<table><thead><tr><th>Device</th><th>Assigned</th><th></th></tr></thead><tbody>");
            foreach (var device in list.OfType<JsonObject>())
            {
                var serial = device["SerialNumber"]?.GetValue<string>() ?? "";
                body.Raw("<tr>").El("td", serial).El("td", Date(device["EnableDate"])).Raw("<td>")
                    .FormStart("/console/security/mfa/remove", token, "inline").Hidden("serial", serial).Button("Remove", cssClass: "danger").FormEnd().Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
        }
        else
        {
            body.Raw("<p>No MFA device is assigned. Assign a virtual MFA device (an authenticator app) to sign in with a code.</p>")
                .FormStart("/console/security/mfa/create", token).Button("Assign MFA device").FormEnd();
        }

        body.Raw("</section><section class=\"card\" id=\"keys\"><h2>Access keys</h2>");
        var (keys, keysError) = await operations.TryRunAsync(context, caller, "iam", "ListAccessKeys", new JsonObject());
        if (keysError is not null)
        {
            body.Raw(ErrorBlock(keysError).ToString());
        }
        else
        {
            var rows = (keys!["AccessKeyMetadata"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (rows.Count == 0)
            {
                body.Raw("<p>No access keys.</p>");
            }
            else
            {
                body.Raw("<table><thead><tr><th>Access key ID</th><th>Status</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>");
                foreach (var key in rows)
                {
                    var id = key["AccessKeyId"]?.GetValue<string>() ?? "";
                    var keyStatus = key["Status"]?.GetValue<string>() ?? "";
                    var (used, _) = await operations.TryRunAsync(context, caller, "iam", "GetAccessKeyLastUsed", new JsonObject { ["AccessKeyId"] = id });
                    var lastUsed = used?["AccessKeyLastUsed"] is JsonObject last && last["LastUsedDate"] is not null
                        ? $"{Date(last["LastUsedDate"])} ({last["ServiceName"]?.GetValue<string>()}, {last["Region"]?.GetValue<string>()})"
                        : "Never";
                    var flip = keyStatus == "Active" ? "Inactive" : "Active";
                    body.Raw("<tr>").El("td", id, "mono").El("td", keyStatus).El("td", Date(key["CreateDate"])).El("td", lastUsed).Raw("<td class=\"actions\">")
                        .FormStart("/console/security/keys/status", token, "inline").Hidden("accessKeyId", id).Hidden("status", flip)
                        .Button(flip == "Inactive" ? "Make inactive" : "Make active", cssClass: "secondary").FormEnd()
                        .FormStart("/console/security/keys/delete", token, "inline").Hidden("accessKeyId", id).Button("Delete", cssClass: "danger").FormEnd()
                        .Raw("</td></tr>");
                }

                body.Raw("</tbody></table>");
            }

            body.FormStart("/console/security/keys/create", token).Button("Create access key").FormEnd();
        }

        body.Raw("</section>");
        await RenderAsync(context, status, "My security credentials", body, session);
    }

    /// <summary>Re-renders the credentials page after an action: the notice on success, the engine's message on failure.</summary>
    private Task AfterActionAsync(HttpContext context, ConsoleSession session, AwsException? error, string success) =>
        error is null
            ? SecurityPageAsync(context, session, null, success, StatusCodes.Status200OK)
            : SecurityPageAsync(context, session, ErrorBlock(error), null, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest);

    private async Task ChangePasswordPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (ok, problems) = await ChangePasswordAsync(context, session, form!);
        if (ok)
        {
            await SecurityPageAsync(context, session, null, "Your password has been changed.", StatusCodes.Status200OK);
            return;
        }

        var list = new Html().Raw("<div class=\"error\" role=\"alert\"><p>The password was not changed:</p><ul class=\"broken\">");
        foreach (var problem in problems)
        {
            list.El("li", problem);
        }

        await SecurityPageAsync(context, session, list.Raw("</ul></div>"), null, StatusCodes.Status400BadRequest);
    }

    private async Task MfaCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var serial = $"arn:aws:iam::{session.AccountId}:mfa/{session.UserName}";
        var (created, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "CreateVirtualMFADevice", new JsonObject { ["VirtualMFADeviceName"] = session.UserName });
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Assign a virtual MFA device</h1>");
        if (error is not null && error.Code != "EntityAlreadyExists")
        {
            await AfterActionAsync(context, session, error, "");
            return;
        }

        if (created?["VirtualMFADevice"] is JsonObject device)
        {
            serial = device["SerialNumber"]?.GetValue<string>() ?? serial;
            var png = device["QRCodePNG"]!.GetValue<byte[]>();
            var seed = Encoding.ASCII.GetString(device["Base32StringSeed"]!.GetValue<byte[]>());
            body.Raw("<ol><li>Open an authenticator app on your phone or computer.</li><li>Scan this QR code, or enter the secret key by hand.</li><li>Enter two consecutive codes from the app.</li></ol>")
                .Raw("<img class=\"qr\" alt=\"QR code for the MFA device\" src=\"data:image/png;base64,").Text(Convert.ToBase64String(png)).Raw("\">")
                .Raw("<details><summary>Show secret key</summary><code class=\"secret\" id=\"mfa-secret\">").Text(seed).Raw("</code></details>")
                .Notice("The secret key is shown only now; it cannot be shown again.");
        }
        else
        {
            body.Notice("A virtual MFA device made earlier for you is waiting to be enabled: enter two consecutive codes from the authenticator you added it to.");
        }

        body.Raw(MfaEnableForm(context, serial).ToString()).Raw("</section>");
        await RenderAsync(context, StatusCodes.Status200OK, "Assign MFA device", body, session);
    }

    private Html MfaEnableForm(HttpContext context, string serial) =>
        new Html().FormStart("/console/security/mfa/enable", Token(context), "stack").Hidden("serial", serial)
            .Field("MFA code 1", "code1", autocomplete: "one-time-code").Field("MFA code 2", "code2", autocomplete: "one-time-code")
            .Button("Add MFA").FormEnd();

    private async Task MfaEnablePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var serial = form!["serial"].ToString();
        var (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "EnableMFADevice", new JsonObject
        {
            ["UserName"] = session.UserName,
            ["SerialNumber"] = serial,
            ["AuthenticationCode1"] = form["code1"].ToString().Trim(),
            ["AuthenticationCode2"] = form["code2"].ToString().Trim(),
        });
        if (error is not null)
        {
            var body = new Html().Raw("<section class=\"card narrow\"><h1>Assign a virtual MFA device</h1>").Raw(ErrorBlock(error).ToString())
                .Raw(MfaEnableForm(context, serial).ToString()).Raw("</section>");
            await RenderAsync(context, error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest, "Assign MFA device", body, session);
            return;
        }

        await SecurityPageAsync(context, session, null, "MFA device assigned. Sign out and sign in again with a code from it to use your MFA-protected permissions.", StatusCodes.Status200OK);
    }

    private async Task MfaRemovePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var serial = form!["serial"].ToString();
        var (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "DeactivateMFADevice", new JsonObject { ["UserName"] = session.UserName, ["SerialNumber"] = serial });
        if (error is null)
        {
            (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "DeleteVirtualMFADevice", new JsonObject { ["SerialNumber"] = serial });
        }

        await AfterActionAsync(context, session, error, "The MFA device was removed.");
    }

    private async Task AccessKeyCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (created, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "CreateAccessKey", new JsonObject());
        if (error is not null)
        {
            await AfterActionAsync(context, session, error, "");
            return;
        }

        await AccessKeyShownOnceAsync(context, session, (JsonObject)created!["AccessKey"]!, session.UserName, "/console/security");
    }

    /// <summary>The one page that shows a new secret access key, with the .csv AWS offers; nothing else ever shows it.</summary>
    private Task AccessKeyShownOnceAsync(HttpContext context, ConsoleSession session, JsonObject key, string userName, string done)
    {
        var id = key["AccessKeyId"]!.GetValue<string>();
        var secret = key["SecretAccessKey"]!.GetValue<string>();
        var csv = Convert.ToBase64String(Encoding.UTF8.GetBytes($"Access key ID,Secret access key\r\n{id},{secret}\r\n"));
        var body = new Html().Raw("<section class=\"card narrow\"><h1>Access key created</h1>")
            .Notice("This is the only time the secret access key can be viewed or downloaded. You cannot recover it later; you can create a new access key at any time.")
            .Raw("<dl><dt>Access key ID</dt><dd><code id=\"access-key-id\">").Text(id).Raw("</code></dd><dt>Secret access key</dt><dd><code class=\"secret\" id=\"secret-access-key\">")
            .Text(secret).Raw("</code></dd></dl><p><a class=\"button\" id=\"download-csv\" download=\"").Text(userName + "_accessKeys.csv")
            .Raw("\" href=\"data:text/csv;base64,").Text(csv).Raw("\">Download .csv file</a> ").Link(done, "Done").Raw("</p></section>");
        return RenderAsync(context, StatusCodes.Status200OK, "Access key created", body, session);
    }

    private async Task AccessKeyStatusPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var status = form!["status"].ToString() == "Active" ? "Active" : "Inactive";
        var (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "UpdateAccessKey", new JsonObject { ["AccessKeyId"] = form["accessKeyId"].ToString(), ["Status"] = status });
        await AfterActionAsync(context, session, error, $"The access key is now {status.ToLowerInvariant()}.");
    }

    private async Task AccessKeyDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (_, error) = await operations.TryRunAsync(context, session.UserCaller, "iam", "DeleteAccessKey", new JsonObject { ["AccessKeyId"] = form!["accessKeyId"].ToString() });
        await AfterActionAsync(context, session, error, "The access key was deleted.");
    }
}
