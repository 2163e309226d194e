using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// IAM pages of the account worked in: users, groups, roles and managed policies listed (paged) and
/// viewed; users and groups created and deleted, membership and attachments changed; a managed
/// policy's JSON edited with the engine's validation messages in place; the password policy; the
/// credential report; the policy simulator. Each is the IAM operation of the same name, authorized
/// for the caller, so what a person may do here is what their policies allow.
/// </summary>
internal sealed partial class ConsoleApp
{
    private const long PageSize = 50;

    private static string Q(string value) => Uri.EscapeDataString(value);

    private static string Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static IEnumerable<JsonObject> Items(JsonObject? output, string member) => (output?[member] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>A policy document as IAM returns it (URL-encoded), decoded and indented for reading.</summary>
    internal static string Pretty(string encoded)
    {
        var document = Uri.UnescapeDataString(encoded);
        try
        {
            using var parsed = JsonDocument.Parse(document);
            return JsonSerializer.Serialize(parsed.RootElement, IndentedJson);
        }
        catch (JsonException)
        {
            return document;
        }
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static Html IamTabs(string current)
    {
        var html = new Html().Raw("<nav class=\"tabs\">");
        foreach (var (path, label) in new[] { ("users", "Users"), ("groups", "User groups"), ("roles", "Roles"), ("policies", "Policies"), ("passwordpolicy", "Password policy"), ("simulator", "Policy simulator") })
        {
            html.Link("/console/iam/" + path, label, path == current ? "current" : null);
        }

        return html.Raw("<a href=\"/console/iam/credentialreport\">Credential report</a></nav>");
    }

    private static Html NextPage(JsonObject output, string path) =>
        output["IsTruncated"] is JsonValue truncated && truncated.TryGetValue<bool>(out var more) && more && Str(output["Marker"]) is { Length: > 0 } marker
            ? new Html().Raw("<p>").Link($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}marker={Q(marker)}", "Next page").Raw("</p>")
            : new Html();

    private static JsonObject Paged(HttpContext context, JsonObject input)
    {
        input["MaxItems"] = PageSize;
        if (context.Request.Query["marker"].ToString() is { Length: > 0 } marker)
        {
            input["Marker"] = marker;
        }

        return input;
    }

    private async Task IamPageAsync(HttpContext context, ConsoleSession session, string tab, string title, Html content, AwsException? error, string? notice, AwsException? statusFrom = null)
    {
        statusFrom ??= error;
        var body = new Html().Raw(IamTabs(tab).ToString()).Raw("<h1>").Text(title).Raw("</h1>").Notice(notice);
        if (error is not null)
        {
            body.Raw(ErrorBlock(error).ToString());
        }

        body.Raw(content.ToString());
        var status = statusFrom is null ? StatusCodes.Status200OK : statusFrom.HttpStatus is >= 400 and < 600 ? statusFrom.HttpStatus : StatusCodes.Status400BadRequest;
        await RenderAsync(context, status, title, body, session);
    }

    // Users.

    private Task UsersPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => UsersAsync(context, session, null, null);

    private async Task UsersAsync(HttpContext context, ConsoleSession session, AwsException? actionError, string? notice)
    {
        var (listed, error) = await RunAsync(context, session, "iam", "ListUsers", Paged(context, new JsonObject()));
        var content = new Html();
        if (listed is not null)
        {
            content.Raw("<table id=\"users\"><thead><tr><th>User name</th><th>Path</th><th>Created</th><th>Password last used</th></tr></thead><tbody>");
            foreach (var user in Items(listed, "Users"))
            {
                var name = Str(user["UserName"]);
                content.Raw("<tr><td>").Link("/console/iam/user?name=" + Q(name), name).Raw("</td>").El("td", Str(user["Path"])).El("td", Date(user["CreateDate"])).El("td", Date(user["PasswordLastUsed"])).Raw("</tr>");
            }

            content.Raw("</tbody></table>").Raw(NextPage(listed, "/console/iam/users").ToString());
        }

        content.Raw("<section class=\"card\"><h2>Create user</h2>").FormStart("/console/iam/users/create", Token(context), "stack")
            .Field("User name", "userName").Button("Create user").FormEnd().Raw("</section>");
        await IamPageAsync(context, session, "users", "Users", content, actionError ?? error, notice);
    }

    private async Task UserCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["userName"].ToString().Trim();
        var (_, error) = await RunAsync(context, session, "iam", "CreateUser", new JsonObject { ["UserName"] = name });
        if (error is null)
        {
            context.Response.Redirect("/console/iam/user?name=" + Q(name));
            return;
        }

        await UsersAsync(context, session, error, null);
    }

    private Task UserPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserAsync(context, session, context.Request.Query["name"].ToString(), null, null);

    private async Task UserAsync(HttpContext context, ConsoleSession session, string name, AwsException? actionError, string? notice)
    {
        var (got, error) = await RunAsync(context, session, "iam", "GetUser", new JsonObject { ["UserName"] = name });
        var content = new Html();
        var token = Token(context);
        if (got?["User"] is JsonObject user)
        {
            content.Raw("<dl class=\"facts\"><dt>ARN</dt>").El("dd", Str(user["Arn"])).Raw("<dt>User ID</dt>").El("dd", Str(user["UserId"]))
                .Raw("<dt>Created</dt>").El("dd", Date(user["CreateDate"])).Raw("</dl>");
            content.Raw("<section class=\"card\"><h2>Groups</h2>");
            var (groups, groupsError) = await RunAsync(context, session, "iam", "ListGroupsForUser", new JsonObject { ["UserName"] = name });
            content.Raw(groupsError is null ? "" : ErrorBlock(groupsError).ToString()).Raw("<ul>");
            foreach (var group in Items(groups, "Groups"))
            {
                var groupName = Str(group["GroupName"]);
                content.Raw("<li>").Link("/console/iam/group?name=" + Q(groupName), groupName).Raw(" ")
                    .FormStart("/console/iam/user/removegroup", token, "inline").Hidden("name", name).Hidden("group", groupName).Button("Remove", cssClass: "link").FormEnd().Raw("</li>");
            }

            content.Raw("</ul>").FormStart("/console/iam/user/addgroup", token, "inline").Hidden("name", name).Field("Add to group", "group").Button("Add", cssClass: "secondary").FormEnd().Raw("</section>");
            content.Raw("<section class=\"card\"><h2>Permissions policies</h2>");
            var (attached, attachedError) = await RunAsync(context, session, "iam", "ListAttachedUserPolicies", new JsonObject { ["UserName"] = name });
            content.Raw(attachedError is null ? "" : ErrorBlock(attachedError).ToString()).Raw("<ul>");
            foreach (var policy in Items(attached, "AttachedPolicies"))
            {
                var arn = Str(policy["PolicyArn"]);
                content.Raw("<li>").Link("/console/iam/policy?arn=" + Q(arn), Str(policy["PolicyName"])).Raw(" ")
                    .FormStart("/console/iam/user/detach", token, "inline").Hidden("name", name).Hidden("policyArn", arn).Button("Detach", cssClass: "link").FormEnd().Raw("</li>");
            }

            var (inline, _) = await RunAsync(context, session, "iam", "ListUserPolicies", new JsonObject { ["UserName"] = name });
            foreach (var policyName in (inline?["PolicyNames"] as JsonArray ?? []).Select(Str))
            {
                content.Raw("<li>").Text(policyName).Raw(" <span class=\"hint\">(inline)</span></li>");
            }

            content.Raw("</ul>").FormStart("/console/iam/user/attach", token, "inline").Hidden("name", name).Field("Attach policy (ARN)", "policyArn").Button("Attach", cssClass: "secondary").FormEnd().Raw("</section>");
            await UserCredentialsAsync(context, session, content, name, token);
            content.Raw("<section class=\"card\"><h2>Delete user</h2><p>IAM deletes a user only when it has no password, keys, MFA device, groups or policies left.</p>")
                .FormStart("/console/iam/user/delete", token).Hidden("name", name).Button("Delete user", cssClass: "danger").FormEnd().Raw("</section>");
        }

        await IamPageAsync(context, session, "users", name, content, actionError ?? error, notice);
    }

    /// <summary>An administrator's view of another user's credentials: console password, access keys, MFA devices.</summary>
    private async Task UserCredentialsAsync(HttpContext context, ConsoleSession session, Html content, string name, string token)
    {
        content.Raw("<section class=\"card\" id=\"user-credentials\"><h2>Security credentials</h2><h3>Console password</h3>");
        var (profile, profileError) = await RunAsync(context, session, "iam", "GetLoginProfile", new JsonObject { ["UserName"] = name });
        if (profileError is { Code: not "NoSuchEntity" })
        {
            content.Raw(ErrorBlock(profileError).ToString());
        }
        else
        {
            var exists = profile?["LoginProfile"] is JsonObject;
            if (exists)
            {
                var reset = profile!["LoginProfile"]!["PasswordResetRequired"] is JsonValue r && r.TryGetValue<bool>(out var required) && required;
                content.Raw("<p>Console access is enabled").Raw(reset ? "; the user must set a new password at the next sign-in" : "").Raw(".</p>");
            }
            else
            {
                content.Raw("<p>No console password.</p>");
            }

            content.FormStart("/console/iam/user/password", token, "inline").Hidden("name", name).Field(exists ? "New password" : "Password", "password", "password", autocomplete: "new-password")
                .Raw("<label class=\"check\"><input type=\"checkbox\" name=\"reset\" value=\"true\" checked>Require a new password at the next sign-in</label>")
                .Button(exists ? "Set password" : "Enable console access", cssClass: "secondary").FormEnd();
            if (exists)
            {
                content.FormStart("/console/iam/user/password/delete", token, "inline").Hidden("name", name).Button("Disable console access", cssClass: "danger").FormEnd();
            }
        }

        content.Raw("<h3>Access keys</h3>");
        var (keys, keysError) = await RunAsync(context, session, "iam", "ListAccessKeys", new JsonObject { ["UserName"] = name });
        if (keysError is not null)
        {
            content.Raw(ErrorBlock(keysError).ToString());
        }
        else
        {
            content.Raw("<table id=\"user-keys\"><tbody>");
            foreach (var key in Items(keys, "AccessKeyMetadata"))
            {
                var id = Str(key["AccessKeyId"]);
                var flip = Str(key["Status"]) == "Active" ? "Inactive" : "Active";
                content.Raw("<tr>").El("td", id, "mono").El("td", Str(key["Status"])).El("td", Date(key["CreateDate"])).Raw("<td class=\"actions\">")
                    .FormStart("/console/iam/user/keys/status", token, "inline").Hidden("name", name).Hidden("accessKeyId", id).Hidden("status", flip)
                    .Button(flip == "Inactive" ? "Make inactive" : "Make active", cssClass: "secondary").FormEnd()
                    .FormStart("/console/iam/user/keys/delete", token, "inline").Hidden("name", name).Hidden("accessKeyId", id).Button("Delete", cssClass: "danger").FormEnd()
                    .Raw("</td></tr>");
            }

            content.Raw("</tbody></table>").FormStart("/console/iam/user/keys/create", token, "inline").Hidden("name", name).Button("Create access key", cssClass: "secondary").FormEnd();
        }

        content.Raw("<h3>MFA devices</h3>");
        var (devices, devicesError) = await RunAsync(context, session, "iam", "ListMFADevices", new JsonObject { ["UserName"] = name });
        content.Raw(devicesError is null ? "" : ErrorBlock(devicesError).ToString()).Raw("<ul>");
        foreach (var device in Items(devices, "MFADevices"))
        {
            var serial = Str(device["SerialNumber"]);
            content.Raw("<li>").Text(serial).Raw(" ").FormStart("/console/iam/user/mfa/deactivate", token, "inline").Hidden("name", name).Hidden("serial", serial)
                .Button("Deactivate", cssClass: "link").FormEnd().Raw("</li>");
        }

        content.Raw("</ul></section>");
    }

    private async Task UserPasswordPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var input = new JsonObject { ["UserName"] = name, ["Password"] = form["password"].ToString(), ["PasswordResetRequired"] = form["reset"].ToString() == "true" };
        var (_, error) = await RunAsync(context, session, "iam", "UpdateLoginProfile", input.DeepClone().AsObject());
        if (error is { Code: "NoSuchEntity" })
        {
            (_, error) = await RunAsync(context, session, "iam", "CreateLoginProfile", input);
        }

        await UserAsync(context, session, name, error, error is null ? "Console password set." : null);
    }

    private Task UserPasswordDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "DeleteLoginProfile", new JsonObject(), "Console access disabled.");

    private async Task UserKeyCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var (created, error) = await RunAsync(context, session, "iam", "CreateAccessKey", new JsonObject { ["UserName"] = name });
        if (error is not null)
        {
            await UserAsync(context, session, name, error, null);
            return;
        }

        await AccessKeyShownOnceAsync(context, session, (JsonObject)created!["AccessKey"]!, name, "/console/iam/user?name=" + Q(name));
    }

    private Task UserKeyStatusPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var status = form!["status"].ToString() == "Active" ? "Active" : "Inactive";
        return UserActionAsync(context, session, form, "UpdateAccessKey", new JsonObject { ["AccessKeyId"] = form["accessKeyId"].ToString(), ["Status"] = status }, $"The access key is now {status.ToLowerInvariant()}.");
    }

    private Task UserKeyDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "DeleteAccessKey", new JsonObject { ["AccessKeyId"] = form!["accessKeyId"].ToString() }, "The access key was deleted.");

    private Task UserMfaDeactivatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "DeactivateMFADevice", new JsonObject { ["SerialNumber"] = form!["serial"].ToString() }, "The MFA device was deactivated.");

    private async Task UserActionAsync(HttpContext context, ConsoleSession session, IFormCollection form, string operation, JsonObject input, string done)
    {
        var name = form["name"].ToString();
        input["UserName"] = name;
        var (_, error) = await RunAsync(context, session, "iam", operation, input);
        await UserAsync(context, session, name, error, error is null ? done : null);
    }

    private Task UserAddGroupPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "AddUserToGroup", new JsonObject { ["GroupName"] = form!["group"].ToString().Trim() }, "Added to the group.");

    private Task UserRemoveGroupPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "RemoveUserFromGroup", new JsonObject { ["GroupName"] = form!["group"].ToString() }, "Removed from the group.");

    private Task UserAttachPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "AttachUserPolicy", new JsonObject { ["PolicyArn"] = form!["policyArn"].ToString().Trim() }, "Policy attached.");

    private Task UserDetachPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        UserActionAsync(context, session, form!, "DetachUserPolicy", new JsonObject { ["PolicyArn"] = form!["policyArn"].ToString() }, "Policy detached.");

    private async Task UserDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var (_, error) = await RunAsync(context, session, "iam", "DeleteUser", new JsonObject { ["UserName"] = name });
        if (error is not null)
        {
            await UserAsync(context, session, name, error, null);
            return;
        }

        await UsersAsync(context, session, null, $"User {name} deleted.");
    }

    // Groups.

    private Task GroupsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => GroupsAsync(context, session, null, null);

    private async Task GroupsAsync(HttpContext context, ConsoleSession session, AwsException? actionError, string? notice)
    {
        var (listed, error) = await RunAsync(context, session, "iam", "ListGroups", Paged(context, new JsonObject()));
        var content = new Html();
        if (listed is not null)
        {
            content.Raw("<table id=\"groups\"><thead><tr><th>Group name</th><th>Path</th><th>Created</th></tr></thead><tbody>");
            foreach (var group in Items(listed, "Groups"))
            {
                var name = Str(group["GroupName"]);
                content.Raw("<tr><td>").Link("/console/iam/group?name=" + Q(name), name).Raw("</td>").El("td", Str(group["Path"])).El("td", Date(group["CreateDate"])).Raw("</tr>");
            }

            content.Raw("</tbody></table>").Raw(NextPage(listed, "/console/iam/groups").ToString());
        }

        content.Raw("<section class=\"card\"><h2>Create group</h2>").FormStart("/console/iam/groups/create", Token(context), "stack")
            .Field("Group name", "groupName").Button("Create group").FormEnd().Raw("</section>");
        await IamPageAsync(context, session, "groups", "User groups", content, actionError ?? error, notice);
    }

    private async Task GroupCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["groupName"].ToString().Trim();
        var (_, error) = await RunAsync(context, session, "iam", "CreateGroup", new JsonObject { ["GroupName"] = name });
        await GroupsAsync(context, session, error, error is null ? $"Group {name} created." : null);
    }

    private async Task GroupPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = context.Request.Query["name"].ToString();
        var (got, error) = await RunAsync(context, session, "iam", "GetGroup", new JsonObject { ["GroupName"] = name });
        var content = new Html();
        if (got?["Group"] is JsonObject group)
        {
            content.Raw("<dl class=\"facts\"><dt>ARN</dt>").El("dd", Str(group["Arn"])).Raw("<dt>Created</dt>").El("dd", Date(group["CreateDate"])).Raw("</dl><section class=\"card\"><h2>Users</h2><ul>");
            foreach (var user in Items(got, "Users"))
            {
                var userName = Str(user["UserName"]);
                content.Raw("<li>").Link("/console/iam/user?name=" + Q(userName), userName).Raw("</li>");
            }

            content.Raw("</ul></section><section class=\"card\"><h2>Permissions policies</h2><ul>");
            var (attached, _) = await RunAsync(context, session, "iam", "ListAttachedGroupPolicies", new JsonObject { ["GroupName"] = name });
            foreach (var policy in Items(attached, "AttachedPolicies"))
            {
                content.Raw("<li>").Link("/console/iam/policy?arn=" + Q(Str(policy["PolicyArn"])), Str(policy["PolicyName"])).Raw("</li>");
            }

            var (inline, _) = await RunAsync(context, session, "iam", "ListGroupPolicies", new JsonObject { ["GroupName"] = name });
            foreach (var policyName in (inline?["PolicyNames"] as JsonArray ?? []).Select(Str))
            {
                content.Raw("<li>").Text(policyName).Raw(" <span class=\"hint\">(inline)</span></li>");
            }

            content.Raw("</ul></section>").FormStart("/console/iam/group/delete", Token(context)).Hidden("name", name).Button("Delete group", cssClass: "danger").FormEnd();
        }

        await IamPageAsync(context, session, "groups", name, content, error, null);
    }

    private async Task GroupDeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var (_, error) = await RunAsync(context, session, "iam", "DeleteGroup", new JsonObject { ["GroupName"] = name });
        await GroupsAsync(context, session, error, error is null ? $"Group {name} deleted." : null);
    }

    // Roles.

    private static string IamAccountOf(string arn) => arn.Split(':') is { Length: > 4 } parts ? parts[4] : "";

    // Managed policies and the JSON editor.

    private async Task PoliciesPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var scope = context.Request.Query["scope"].ToString() is "AWS" or "All" ? context.Request.Query["scope"].ToString() : "Local";
        var (listed, error) = await RunAsync(context, session, "iam", "ListPolicies", Paged(context, new JsonObject { ["Scope"] = scope }));
        var content = new Html().Raw("<p>").Link("/console/iam/policies?scope=Local", "Customer managed").Raw(" · ").Link("/console/iam/policies?scope=AWS", "AWS managed").Raw("</p>");
        if (listed is not null)
        {
            content.Raw("<table id=\"policies\"><thead><tr><th>Policy name</th><th>Attachments</th><th>Updated</th></tr></thead><tbody>");
            foreach (var policy in Items(listed, "Policies"))
            {
                content.Raw("<tr><td>").Link("/console/iam/policy?arn=" + Q(Str(policy["Arn"])), Str(policy["PolicyName"])).Raw("</td>")
                    .El("td", policy["AttachmentCount"]?.ToString()).El("td", Date(policy["UpdateDate"])).Raw("</tr>");
            }

            content.Raw("</tbody></table>").Raw(NextPage(listed, "/console/iam/policies?scope=" + scope).ToString());
        }

        content.Raw(PolicyCreateForm(context, null, null, null).ToString());
        await IamPageAsync(context, session, "policies", "Policies", content, error, null);
    }

    private Task PolicyPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        PolicyAsync(context, session, context.Request.Query["arn"].ToString(), null, null, null);

    private async Task PolicyAsync(HttpContext context, ConsoleSession session, string arn, string? draft, AwsException? editError, string? notice)
    {
        var (got, error) = await RunAsync(context, session, "iam", "GetPolicy", new JsonObject { ["PolicyArn"] = arn });
        var content = new Html();
        var title = arn;
        if (got?["Policy"] is JsonObject policy)
        {
            title = Str(policy["PolicyName"]);
            var version = Str(policy["DefaultVersionId"]);
            var (document, documentError) = await RunAsync(context, session, "iam", "GetPolicyVersion", new JsonObject { ["PolicyArn"] = arn, ["VersionId"] = version });
            content.Raw("<dl class=\"facts\"><dt>ARN</dt>").El("dd", arn).Raw("<dt>Default version</dt>").El("dd", version).Raw("<dt>Description</dt>").El("dd", Str(policy["Description"])).Raw("</dl>");
            if (documentError is not null)
            {
                content.Raw(ErrorBlock(documentError).ToString());
            }

            var text = draft ?? (document?["PolicyVersion"] is JsonObject v ? Pretty(Str(v["Document"])) : "");
            content.Raw("<section class=\"card\" id=\"editor\"><h2>Policy document</h2>");
            if (editError is not null)
            {
                content.Raw(ErrorBlock(editError).ToString());
            }

            content.FormStart("/console/iam/policy/edit", Token(context), "stack").Hidden("arn", arn)
                .Raw("<label>JSON<textarea name=\"document\" id=\"document\" rows=\"22\" spellcheck=\"false\">").Text(text).Raw("</textarea></label>");
            if (!arn.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal))
            {
                content.Button("Save as a new default version");
            }

            content.FormEnd().Raw("</section>");
        }

        await IamPageAsync(context, session, "policies", title, content, error, notice, error ?? editError);
    }

    private async Task PolicyEditPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var arn = form!["arn"].ToString();
        var document = form["document"].ToString();
        var (_, error) = await RunAsync(context, session, "iam", "CreatePolicyVersion", new JsonObject { ["PolicyArn"] = arn, ["PolicyDocument"] = document, ["SetAsDefault"] = true });
        if (error is not null)
        {
            // The draft stays in the editor with the engine's message above it.
            await PolicyAsync(context, session, arn, document, error, null);
            return;
        }

        await PolicyAsync(context, session, arn, null, null, "Saved: the new version is the default.");
    }

    // The password policy.

    private Task PasswordPolicyPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => PasswordPolicyAsync(context, session, null, null);

    private async Task PasswordPolicyAsync(HttpContext context, ConsoleSession session, AwsException? actionError, string? notice)
    {
        var (got, error) = await RunAsync(context, session, "iam", "GetAccountPasswordPolicy", new JsonObject());
        var policy = got?["PasswordPolicy"] as JsonObject;
        var content = new Html();
        if (error is { Code: "NoSuchEntity" })
        {
            content.Notice("This account has no password policy: IAM's default applies (8 characters, three of the four character types).");
            error = null;
        }

        bool Flag(string name) => policy?[name] is JsonValue value && value.TryGetValue<bool>(out var on) && on;
        string Number(string name) => policy?[name]?.ToString() ?? "";
        content.FormStart("/console/iam/passwordpolicy", Token(context), "stack")
            .Field("Minimum length", "MinimumPasswordLength", value: policy is null ? "8" : Number("MinimumPasswordLength"));
        foreach (var (name, label) in new[]
        {
            ("RequireUppercaseCharacters", "At least one uppercase letter"), ("RequireLowercaseCharacters", "At least one lowercase letter"),
            ("RequireNumbers", "At least one number"), ("RequireSymbols", "At least one symbol"),
            ("AllowUsersToChangePassword", "Users may change their own password"), ("HardExpiry", "Expired passwords need an administrator's reset"),
        })
        {
            content.Raw("<label class=\"check\"><input type=\"checkbox\" name=\"").Text(name).Raw("\" value=\"true\"").Raw(Flag(name) ? " checked" : "").Raw(">").Text(label).Raw("</label>");
        }

        content.Field("Expire passwords after (days, empty for never)", "MaxPasswordAge", value: Number("MaxPasswordAge"), required: false)
            .Field("Prevent reuse of the last N passwords (empty for none)", "PasswordReusePrevention", value: Number("PasswordReusePrevention"), required: false)
            .Button("Save password policy").FormEnd();
        await IamPageAsync(context, session, "passwordpolicy", "Password policy", content, actionError ?? error, notice);
    }

    private async Task PasswordPolicyPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var input = new JsonObject();
        if (long.TryParse(form!["MinimumPasswordLength"], System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            input["MinimumPasswordLength"] = length;
        }

        foreach (var name in new[] { "RequireUppercaseCharacters", "RequireLowercaseCharacters", "RequireNumbers", "RequireSymbols", "AllowUsersToChangePassword", "HardExpiry" })
        {
            input[name] = form[name].ToString() == "true";
        }

        foreach (var name in new[] { "MaxPasswordAge", "PasswordReusePrevention" })
        {
            if (long.TryParse(form[name], System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                input[name] = number;
            }
        }

        var (_, error) = await RunAsync(context, session, "iam", "UpdateAccountPasswordPolicy", input);
        await PasswordPolicyAsync(context, session, error, error is null ? "Password policy saved." : null);
    }

    // The credential report, as the CSV IAM makes.

    private async Task CredentialReportAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (_, error) = await RunAsync(context, session, "iam", "GenerateCredentialReport", new JsonObject());
        JsonObject? report = null;
        if (error is null)
        {
            (report, error) = await RunAsync(context, session, "iam", "GetCredentialReport", new JsonObject());
        }

        if (error is not null || report?["Content"] is not JsonValue content || !content.TryGetValue<byte[]>(out var bytes))
        {
            await IamPageAsync(context, session, "", "Credential report", new Html(), error ?? CommonErrors.InternalFailure.ToException("The credential report is not ready; try again."), null);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"credential-report.csv\"";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    // The policy simulator (SimulatePrincipalPolicy).

    private Task SimulatorPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) => SimulatorAsync(context, session, "", "", "", null, null);

    private async Task SimulatorAsync(HttpContext context, ConsoleSession session, string principal, string actions, string resources, JsonObject? results, AwsException? error)
    {
        var content = new Html().Raw("<p>Which of these actions would the principal's policies (identity, boundary, and the organization's SCPs as IAM simulates them) allow?</p>")
            .FormStart("/console/iam/simulator", Token(context), "stack")
            .Field("Principal ARN (user, group or role)", "principal", value: principal)
            .Field("Actions (separated by spaces or commas)", "actions", value: actions)
            .Field("Resource ARNs (optional; * when empty)", "resources", value: resources, required: false)
            .Button("Run simulation").FormEnd();
        if (results is not null)
        {
            content.Raw("<table id=\"simulation\"><thead><tr><th>Action</th><th>Resource</th><th>Decision</th><th>Matched statements</th></tr></thead><tbody>");
            foreach (var result in Items(results, "EvaluationResults"))
            {
                var matched = string.Join(", ", Items(result, "MatchedStatements").Select(m => Str(m["SourcePolicyId"])));
                content.Raw("<tr>").El("td", Str(result["EvalActionName"])).El("td", Str(result["EvalResourceName"])).El("td", Str(result["EvalDecision"]), "decision").El("td", matched).Raw("</tr>");
            }

            content.Raw("</tbody></table>");
        }

        await IamPageAsync(context, session, "simulator", "Policy simulator", content, error, null);
    }

    private async Task SimulatorPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var principal = form!["principal"].ToString().Trim();
        var actions = form["actions"].ToString();
        var resources = form["resources"].ToString();
        static JsonArray List(string text) => new([.. text.Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode)JsonValue.Create(t))]);
        var input = new JsonObject { ["PolicySourceArn"] = principal, ["ActionNames"] = List(actions) };
        if (List(resources) is { Count: > 0 } resourceList)
        {
            input["ResourceArns"] = resourceList;
        }

        var (results, error) = await RunAsync(context, session, "iam", "SimulatePrincipalPolicy", input);
        await SimulatorAsync(context, session, principal, actions, resources, results, error);
    }
}
