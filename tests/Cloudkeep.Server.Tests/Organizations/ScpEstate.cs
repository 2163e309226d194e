using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Organizations;

/// <summary>
/// An organization for the SCP tests: the management account, two member accounts (audited and
/// sandbox), and an administrator in the management account who reaches audited through
/// OrganizationAccountAccessRole. Everything is driven with the AWS CLI.
/// </summary>
public class ScpEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    internal TestServer Server = null!;
    internal Cli Root = null!;
    internal Cli Admin = null!;
    internal string RootId = "";
    internal readonly Dictionary<string, string> Accounts = [];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        Root = Cli.Root(Server);
        foreach (var name in new[] { "audited", "sandbox" })
        {
            var status = (await Root.RunAsync("organizations", "create-account", "--email", $"{name}@cloudkeep.invalid", "--account-name", name)).GetProperty("CreateAccountStatus");
            var described = (await Root.RunAsync("organizations", "describe-create-account-status", "--create-account-request-id", status.GetProperty("Id").GetString()!)).GetProperty("CreateAccountStatus");
            Accounts[name] = described.GetProperty("AccountId").GetString()!;
        }

        RootId = (await Root.RunAsync("organizations", "list-roots")).GetProperty("Roots")[0].GetProperty("Id").GetString()!;
        await Root.RunAsync("iam", "create-group", "--group-name", "org-admins");
        await Root.RunAsync("iam", "attach-group-policy", "--group-name", "org-admins", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        Admin = await Root.CreateUserWithKeyAsync("org-admin", "org-admins");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A session in a member account through OrganizationAccountAccessRole.</summary>
    internal async Task<Cli> InMemberAsync(string account)
    {
        var credentials = (await Admin.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{Accounts[account]}:role/OrganizationAccountAccessRole", "--role-session-name", "scp-tests")).GetProperty("Credentials");
        return new Cli(Server.Endpoint, credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString()!);
    }

    /// <summary>Creates a customer managed SCP and returns its id.</summary>
    internal async Task<string> CreateScpAsync(string name, string content, string description = "made by a test") =>
        (await Root.RunAsync("organizations", "create-policy", "--name", name, "--description", description, "--type", "SERVICE_CONTROL_POLICY", "--content", content))
            .GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Id").GetString()!;

    internal static string Deny(string action) =>
        JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Deny", Action = action, Resource = "*" } } });
}

public sealed class ScpEstateOnPostgres : ScpEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
