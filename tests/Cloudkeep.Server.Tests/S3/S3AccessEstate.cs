using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Two accounts for access tests: main (the bucket owner, its root driving everything) and partner,
/// created through Organizations, with a user "reader" whose identity policy allows reading any
/// object, a user "writer" allowed to write, and a user "nobody" with no policy at all. The server's
/// clock can be shifted, so tests can expire presigned URLs and sessions.
/// </summary>
public sealed class S3AccessEstate : IAsyncLifetime
{
    internal readonly ShiftableClock Clock = new();
    internal TestServer Server = null!;
    internal Cli Root = null!;
    internal Cli Admin = null!;
    internal Cli Reader = null!;
    internal Cli Writer = null!;
    internal Cli Nobody = null!;
    internal Cli MainReader = null!;
    internal Cli PartnerAdmin = null!;
    internal string PartnerAccount = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(time: Clock);
        Root = Cli.Root(Server);
        var status = (await Root.RunAsync("organizations", "create-account", "--email", "partner@example.invalid", "--account-name", "partner")).GetProperty("CreateAccountStatus");
        PartnerAccount = status.GetProperty("AccountId").GetString()!;
        await Root.RunAsync("iam", "create-group", "--group-name", "admins");
        await Root.RunAsync("iam", "attach-group-policy", "--group-name", "admins", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        Admin = await Root.CreateUserWithKeyAsync("admin", "admins");
        var session = (await Admin.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{PartnerAccount}:role/OrganizationAccountAccessRole", "--role-session-name", "setup")).GetProperty("Credentials");
        var partnerAdmin = new Cli(Server.Endpoint, session.GetProperty("AccessKeyId").GetString()!, session.GetProperty("SecretAccessKey").GetString()!, session.GetProperty("SessionToken").GetString());
        PartnerAdmin = partnerAdmin;
        Reader = await CreateWithPolicyAsync(partnerAdmin, "reader", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}""");
        Writer = await CreateWithPolicyAsync(partnerAdmin, "writer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:PutObjectAcl","s3:CreateBucket"],"Resource":"*"}]}""");
        Nobody = await partnerAdmin.CreateUserWithKeyAsync("nobody");
        await Root.RunAsync("iam", "create-user", "--user-name", "main-nobody");
        MainReader = await Root.CreateUserWithKeyAsync("main-reader");
    }

    internal static async Task<Cli> CreateWithPolicyAsync(Cli admin, string name, string policy)
    {
        var cli = await admin.CreateUserWithKeyAsync(name);
        await admin.RunAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "s3", "--policy-document", policy);
        return cli;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
