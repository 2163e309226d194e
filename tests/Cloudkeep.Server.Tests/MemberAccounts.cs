namespace Cloudkeep.Server.Tests;

/// <summary>
/// A member account for cross-account tests: created through Organizations by the management
/// account's root, and administered through its OrganizationAccountAccessRole by an `admin` user of
/// the management account (root may not assume roles).
/// </summary>
internal static class MemberAccounts
{
    public static async Task<(string AccountId, Cli Admin)> CreateAsync(Cli root, string name)
    {
        ArgumentNullException.ThrowIfNull(root);
        var status = (await root.RunAsync("organizations", "create-account", "--email", name + "@example.invalid", "--account-name", name)).GetProperty("CreateAccountStatus");
        var account = status.GetProperty("AccountId").GetString()!;
        await root.RunAsync("iam", "create-group", "--group-name", "admins");
        await root.RunAsync("iam", "attach-group-policy", "--group-name", "admins", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var admin = await root.CreateUserWithKeyAsync("admin", "admins");
        var session = (await admin.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", "--role-session-name", "setup")).GetProperty("Credentials");
        return (account, new Cli(root.Endpoint, session.GetProperty("AccessKeyId").GetString()!, session.GetProperty("SecretAccessKey").GetString()!, session.GetProperty("SessionToken").GetString()));
    }
}
