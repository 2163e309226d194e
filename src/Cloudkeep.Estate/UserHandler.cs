using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Users: path, tags, group memberships, MFA required, console access (a login profile whose first
/// password must be changed) and an access key. The secrets apply creates go only to the secrets file.
/// </summary>
internal sealed class UserHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId, SecretsFile? secrets) : IamHandler(iam, accountId)
{
    /// <summary>The inline policy that makes MFA mandatory (see <see cref="MfaRequiredDocument"/>).</summary>
    public const string MfaPolicyName = "MFARequired";

    /// <summary>
    /// AWS's documented pattern for "MFA is mandatory": a session without MFA (a console sign-in or
    /// GetSessionToken without a code) may only set up its own MFA device and change its password.
    /// It keys on <c>Bool</c>, not <c>BoolIfExists</c>: long-term access keys, where the key is absent,
    /// stay governed by the other policies, so profiles that assume roles with an MFA code keep working.
    /// </summary>
    public static readonly string MfaRequiredDocument = CanonicalJson.Parse("""
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyAllExceptMfaSetupWithoutMfa","Effect":"Deny",
        "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","iam:ChangePassword","iam:GetAccountPasswordPolicy","sts:GetSessionToken"],
        "Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}
        """);

    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var user = P("UserName", desired.Name);
        if (await Iam.FindAsync("GetUser", [user], cancellationToken) is not { } answer)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = IamClient.Descendant(answer, "Path") ?? "/" };
        if (desired.Fields.ContainsKey("tags"))
        {
            live["tags"] = await TagsAsync("User", desired.Name, cancellationToken);
        }

        if (desired.Fields.ContainsKey("groups"))
        {
            var groups = await Iam.ListAsync("ListGroupsForUser", [user], "Groups", cancellationToken);
            live["groups"] = CanonicalJson.StringList(groups.Select(g => IamClient.Child(g, "GroupName") ?? ""));
        }

        if (desired.Fields.ContainsKey("console"))
        {
            live["console"] = await Iam.FindAsync("GetLoginProfile", [user], cancellationToken) is null ? "false" : "true";
        }

        if (desired.Fields.ContainsKey("accessKey"))
        {
            live["accessKey"] = (await Iam.ListAsync("ListAccessKeys", [user], "AccessKeyMetadata", cancellationToken)).Count > 0 ? "true" : "false";
        }

        if (desired.Fields.ContainsKey("mfaRequired"))
        {
            var policy = await Iam.FindAsync("GetUserPolicy", [user, P("PolicyName", MfaPolicyName)], cancellationToken);
            live["mfaRequired"] = policy is not null && Document(IamClient.Descendant(policy, "PolicyDocument")) == MfaRequiredDocument ? "true" : "false";
        }

        return live;
    }

    public override async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await Iam.ListAsync("ListUsers", [], "Users", cancellationToken)).Select(u => IamClient.Child(u, "UserName") ?? "")];

    public override Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken) =>
        DoAsync(journal, "CreateUser", [P("UserName", resolved.Name), P("Path", resolved.Fields.GetValueOrDefault("path") ?? "/")], "DeleteUser", [P("UserName", resolved.Name)], cancellationToken);

    /// <summary>Undoable changes first; the ones that destroy a credential (password, access keys) last, once nothing else can fail.</summary>
    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var user = P("UserName", resolved.Name);
        if (fields.Contains("path"))
        {
            await DoAsync(journal, "UpdateUser", [user, P("NewPath", resolved.Fields["path"])], "UpdateUser", [user, P("NewPath", live.GetValueOrDefault("path") ?? "/")], cancellationToken);
        }

        if (fields.Contains("tags"))
        {
            await SyncTagsAsync(journal, "User", resolved.Name, live.GetValueOrDefault("tags"), resolved.Fields["tags"], cancellationToken);
        }

        if (fields.Contains("groups"))
        {
            var want = Strings(resolved.Fields["groups"]);
            var have = live.TryGetValue("groups", out var groups) ? Strings(groups) : [];
            foreach (var group in want.Except(have))
            {
                await DoAsync(journal, "AddUserToGroup", [user, P("GroupName", group)], "RemoveUserFromGroup", [user, P("GroupName", group)], cancellationToken);
            }

            foreach (var group in have.Except(want))
            {
                await DoAsync(journal, "RemoveUserFromGroup", [user, P("GroupName", group)], "AddUserToGroup", [user, P("GroupName", group)], cancellationToken);
            }
        }

        if (fields.Contains("mfaRequired"))
        {
            var policy = P("PolicyName", MfaPolicyName);
            var old = await Iam.FindAsync("GetUserPolicy", [user, policy], cancellationToken) is { } answer ? Uri.UnescapeDataString(IamClient.Descendant(answer, "PolicyDocument") ?? "") : null;
            if (resolved.Fields["mfaRequired"] == "true")
            {
                await DoAsync(journal, "PutUserPolicy", [user, policy, P("PolicyDocument", MfaRequiredDocument)],
                    old is null ? "DeleteUserPolicy" : "PutUserPolicy", old is null ? [user, policy] : [user, policy, P("PolicyDocument", old)], cancellationToken);
            }
            else if (old is not null)
            {
                await DoAsync(journal, "DeleteUserPolicy", [user, policy], "PutUserPolicy", [user, policy, P("PolicyDocument", old)], cancellationToken);
            }
        }

        var file = secrets;
        if (fields.Contains("console") && resolved.Fields["console"] == "true")
        {
            file = file ?? throw new EstateException($"{resolved.Address}: console access creates a password, and no secrets file was given (--secrets-file)");
            var password = SecretsFile.NewPassword();
            await DoAsync(journal, "CreateLoginProfile", [user, P("Password", password), P("PasswordResetRequired", "true")], "DeleteLoginProfile", [user], cancellationToken);
            file.Record(resolved.Account, resolved.Name, [("initialPassword", password)]);
        }

        if (fields.Contains("accessKey") && resolved.Fields["accessKey"] == "true")
        {
            file = file ?? throw new EstateException($"{resolved.Address}: an access key is a secret, and no secrets file was given (--secrets-file)");
            var key = await Iam.CallAsync("CreateAccessKey", [user], cancellationToken);
            var id = IamClient.Descendant(key, "AccessKeyId")!;
            journal.Done("CreateAccessKey", () => Iam.CallAsync("DeleteAccessKey", [user, P("AccessKeyId", id)], CancellationToken.None));
            file.Record(resolved.Account, resolved.Name, [("accessKeyId", id), ("secretAccessKey", IamClient.Descendant(key, "SecretAccessKey")!)]);
        }

        if (fields.Contains("console") && resolved.Fields["console"] == "false")
        {
            await Iam.CallAsync("DeleteLoginProfile", [user], cancellationToken);
        }

        if (fields.Contains("accessKey") && resolved.Fields["accessKey"] == "false")
        {
            await DeleteAccessKeysAsync(resolved.Name, cancellationToken);
        }
    }

    /// <summary>
    /// Removes memberships and policies (undoable), then what cannot be restored (password, access
    /// keys, MFA devices), then the user.
    /// </summary>
    public override async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var user = P("UserName", resource.Name);
        if (await Iam.FindAsync("GetUser", [user], cancellationToken) is null)
        {
            return;
        }

        foreach (var group in (await Iam.ListAsync("ListGroupsForUser", [user], "Groups", cancellationToken)).Select(g => IamClient.Child(g, "GroupName")!))
        {
            await DoAsync(journal, "RemoveUserFromGroup", [user, P("GroupName", group)], "AddUserToGroup", [user, P("GroupName", group)], cancellationToken);
        }

        await DetachAllAsync(journal, "User", resource.Name, cancellationToken);
        if (await Iam.FindAsync("GetLoginProfile", [user], cancellationToken) is not null)
        {
            await Iam.CallAsync("DeleteLoginProfile", [user], cancellationToken);
        }

        await DeleteAccessKeysAsync(resource.Name, cancellationToken);
        foreach (var serial in (await Iam.ListAsync("ListMFADevices", [user], "MFADevices", cancellationToken)).Select(d => IamClient.Child(d, "SerialNumber")!))
        {
            await Iam.CallAsync("DeactivateMFADevice", [user, P("SerialNumber", serial)], cancellationToken);
            if (serial.StartsWith("arn:", StringComparison.Ordinal))
            {
                await Iam.CallAsync("DeleteVirtualMFADevice", [P("SerialNumber", serial)], cancellationToken);
            }
        }

        await Iam.CallAsync("DeleteUser", [user], cancellationToken);
    }

    private async Task DeleteAccessKeysAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var id in (await Iam.ListAsync("ListAccessKeys", [P("UserName", name)], "AccessKeyMetadata", cancellationToken)).Select(k => IamClient.Child(k, "AccessKeyId")!))
        {
            await Iam.CallAsync("DeleteAccessKey", [P("UserName", name), P("AccessKeyId", id)], cancellationToken);
        }
    }
}
