using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Cloudkeep.Server.Tests.Seed;

/// <summary>The seed's access rules, checked on one estate built once (see <see cref="SeedEstate"/>).</summary>
public sealed class SeedEstateTests(SeedEstate estate) : IClassFixture<SeedEstate>
{
    [Fact]
    public async Task Admin_WithMfa_AssumesInfrastructureInDevelopment_AndActsThere()
    {
        var (alice, _, serial) = estate.People["alice"];
        var credentials = await estate.AssumeAsync(alice, estate.Role("development", "infrastructure"), "alice", serial, estate.NextCode("alice"));
        Assert.StartsWith("ASIA", credentials.AccessKeyId, StringComparison.Ordinal);
        var session = new Cli(estate.Server.Endpoint, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        var identity = await session.RunAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:sts::{estate.Accounts["development"]}:assumed-role/infrastructure/alice", identity.GetProperty("Arn").GetString());
        Assert.Equal(estate.Accounts["development"], identity.GetProperty("Account").GetString());
        var roles = await session.RunAsync("iam", "list-roles");
        Assert.Contains(roles.GetProperty("Roles").EnumerateArray(), r => r.GetProperty("Arn").GetString() == estate.Role("development", "infrastructure"));
        await session.RunAsync("iam", "create-user", "--user-name", "logging");
        Assert.Contains("NoSuchEntity", await estate.Root.FailAsync("iam", "get-user", "--user-name", "logging"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_WithoutMfa_IsDeniedByTheTrustPolicy()
    {
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(estate.People["alice"].Cli, estate.Role("development", "infrastructure"), "alice"));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains($"is not authorized to perform: sts:AssumeRole on resource: {estate.Role("development", "infrastructure")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Developer_ForProduction_IsDeniedByMainsIdentityPolicies()
    {
        var (bob, _, serial) = estate.People["bob"];
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(bob, estate.Role("production", "infrastructure"), "bob", serial, estate.NextCode("bob")));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("because no identity-based policy allows the sts:AssumeRole action", error.Message, StringComparison.Ordinal);
        var allowed = await estate.AssumeAsync(bob, estate.Role("development", "infrastructure"), "bob", serial, estate.NextCode("bob"));
        Assert.NotNull(allowed.SessionToken);
    }

    [Fact]
    public async Task RoleThatDoesNotTrustMain_IsDeniedByItsTrustPolicy_EvenWhenMainAllows()
    {
        var (carol, _, serial) = estate.People["carol"];
        var session = await estate.AssumeAsync(estate.People["alice"].Cli, estate.Role("production", "infrastructure"), "setup", estate.People["alice"].Serial, estate.NextCode("alice"));
        var inProduction = new Cli(estate.Server.Endpoint, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var trustsBackups = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{estate.Accounts["backups"]}}:root"},"Action":"sts:AssumeRole"}]}""";
        await inProduction.RunAsync("iam", "create-role", "--role-name", "backups-only", "--assume-role-policy-document", trustsBackups);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(carol, estate.Role("production", "backups-only"), "carol", serial, estate.NextCode("carol")));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("sts:AssumeRole", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserWithoutAnMfaDevice_IsDenied()
    {
        var dave = estate.People["dave"];
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(dave.Cli, estate.Role("main", "sops-credentials-access"), "dave", dave.Serial, "123456"));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("MultiFactorAuthentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MfaCode_AcceptedOnce_ReplayIsRefused()
    {
        var (alice, _, serial) = estate.People["alice"];
        var code = estate.NextCode("alice");
        await estate.AssumeAsync(alice, estate.Role("main", "sops-credentials-access"), "first", serial, code);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(alice, estate.Role("main", "sops-credentials-access"), "replay", serial, code));
        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public async Task WrongMfaCode_IsRefused()
    {
        var (alice, _, serial) = estate.People["alice"];
        var good = estate.NextCode("alice");
        var wrong = good == "000000" ? "111111" : "000000";
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(alice, estate.Role("main", "infrastructure"), "wrong", serial, wrong));
        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public async Task Session_Expires()
    {
        var (alice, _, serial) = estate.People["alice"];
        var credentials = await estate.AssumeAsync(alice, estate.Role("development", "infrastructure"), "short", serial, estate.NextCode("alice"), duration: 900);
        var session = new Cli(estate.Server.Endpoint, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        await session.RunAsync("sts", "get-caller-identity");
        estate.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Contains("ExpiredToken", await session.FailAsync("sts", "get-caller-identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedSessionToken_IsRefused()
    {
        var (alice, _, serial) = estate.People["alice"];
        var credentials = await estate.AssumeAsync(alice, estate.Role("main", "infrastructure"), "tamper", serial, estate.NextCode("alice"));
        var token = credentials.SessionToken.ToCharArray();
        token[40] = token[40] == 'A' ? 'B' : 'A';
        var session = new Cli(estate.Server.Endpoint, credentials.AccessKeyId, credentials.SecretAccessKey, new string(token));
        Assert.Contains("InvalidClientTokenId", await session.FailAsync("sts", "get-caller-identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleChaining_IsLimitedToOneHour()
    {
        var (alice, _, serial) = estate.People["alice"];
        var first = await estate.AssumeAsync(alice, estate.Role("main", "infrastructure"), "chain", serial, estate.NextCode("alice"));
        var session = new Cli(estate.Server.Endpoint, first.AccessKeyId, first.SecretAccessKey, first.SessionToken);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(session, estate.Role("development", "OrganizationAccountAccessRole"), "chained", duration: 7200));
        Assert.Equal("ValidationError", error.ErrorCode);
    }

    [Fact]
    public async Task RootUser_CannotAssumeRoles()
    {
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(estate.Root, estate.Role("main", "infrastructure"), "root"));
        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public async Task GetSessionToken_WithMfa_CarriesMfaIntoTheSession()
    {
        var (alice, _, serial) = estate.People["alice"];
        using var sts = estate.Sts(alice);
        var response = await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = estate.NextCode("alice"), DurationSeconds = 900 });
        var session = new Cli(estate.Server.Endpoint, response.Credentials.AccessKeyId, response.Credentials.SecretAccessKey, response.Credentials.SessionToken);
        var identity = await session.RunAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:iam::{estate.Accounts["main"]}:user/alice", identity.GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task Organizations_ListsTheFourAccounts_AndMembersCannotAdministerIt()
    {
        var accounts = await estate.Root.RunAsync("organizations", "list-accounts");
        var names = accounts.GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("Name").GetString()).ToList();
        Assert.Equal(4, names.Count);
        Assert.Contains("backups", names);
        var org = (await estate.Root.RunAsync("organizations", "describe-organization")).GetProperty("Organization");
        Assert.Equal(estate.Accounts["main"], org.GetProperty("MasterAccountId").GetString());
        Assert.Contains("AlreadyInOrganizationException", await estate.Root.FailAsync("organizations", "create-organization"), StringComparison.Ordinal);
        var session = await estate.AssumeAsync(estate.People["alice"].Cli, estate.Role("development", "infrastructure"), "orgs", estate.People["alice"].Serial, estate.NextCode("alice"));
        var member = new Cli(estate.Server.Endpoint, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        Assert.Contains("AccessDeniedException", await member.FailAsync("organizations", "list-accounts"), StringComparison.Ordinal);
        var duplicate = (await estate.Root.RunAsync("organizations", "create-account", "--email", "backups@digitalmarketplace.invalid", "--account-name", "again")).GetProperty("CreateAccountStatus");
        Assert.Equal("FAILED", duplicate.GetProperty("State").GetString());
        Assert.Equal("EMAIL_ALREADY_EXISTS", duplicate.GetProperty("FailureReason").GetString());
    }

    [Fact]
    public async Task ServiceControlPolicy_DeniesInTheMemberAccount_NotInManagement()
    {
        var root = estate.Root;
        var content = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateGroup","Resource":"*"}]}""";
        var policy = (await root.RunAsync("organizations", "create-policy", "--name", "no-groups", "--description", "no new groups", "--type", "SERVICE_CONTROL_POLICY", "--content", content)).GetProperty("Policy").GetProperty("PolicySummary");
        var policyId = policy.GetProperty("Id").GetString()!;
        await root.RunAsync("organizations", "attach-policy", "--policy-id", policyId, "--target-id", estate.Accounts["production"]);
        var targets = await root.RunAsync("organizations", "list-policies-for-target", "--target-id", estate.Accounts["production"], "--filter", "SERVICE_CONTROL_POLICY");
        Assert.Equal(2, targets.GetProperty("Policies").GetArrayLength());

        var session = await estate.AssumeAsync(estate.People["alice"].Cli, estate.Role("production", "infrastructure"), "scp", estate.People["alice"].Serial, estate.NextCode("alice"));
        var inProduction = new Cli(estate.Server.Endpoint, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var denied = await inProduction.FailAsync("iam", "create-group", "--group-name", "blocked");
        Assert.Contains("with an explicit deny in a service control policy", denied, StringComparison.Ordinal);
        await inProduction.RunAsync("iam", "list-groups");

        // The management account is never restricted by SCPs.
        await root.RunAsync("organizations", "attach-policy", "--policy-id", policyId, "--target-id", (await root.RunAsync("organizations", "list-roots")).GetProperty("Roots")[0].GetProperty("Id").GetString()!);
        await root.RunAsync("iam", "create-group", "--group-name", "management-still-can");

        Assert.Contains("ConstraintViolationException", await root.FailAsync("organizations", "detach-policy", "--policy-id", "p-FullAWSAccess", "--target-id", estate.Accounts["backups"]), StringComparison.Ordinal);
        Assert.Contains("PolicyInUseException", await root.FailAsync("organizations", "delete-policy", "--policy-id", policyId), StringComparison.Ordinal);
        Assert.Contains("MalformedPolicyDocumentException", await root.FailAsync("organizations", "create-policy", "--name", "bad", "--description", "d", "--type", "SERVICE_CONTROL_POLICY", "--content", "{}"), StringComparison.Ordinal);
        foreach (var target in new[] { estate.Accounts["production"], (await root.RunAsync("organizations", "list-roots")).GetProperty("Roots")[0].GetProperty("Id").GetString()! })
        {
            await root.RunAsync("organizations", "detach-policy", "--policy-id", policyId, "--target-id", target);
        }

        await root.RunAsync("organizations", "delete-policy", "--policy-id", policyId);
        await inProduction.RunAsync("iam", "create-group", "--group-name", "allowed-again");
    }

    [Fact]
    public async Task AssumeRole_FromAnMfaSessionToken_SatisfiesTheMfaConditionWithoutAnotherCode()
    {
        // GetSessionToken with a code, then AssumeRole with those credentials and no code: the
        // "MFA-protected API access" pattern (aws-vault, sops's key+role entries) works in AWS.
        var (alice, _, serial) = estate.People["alice"];
        using var sts = estate.Sts(alice);
        var token = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = estate.NextCode("alice"), DurationSeconds = 900 })).Credentials;
        var session = new Cli(estate.Server.Endpoint, token.AccessKeyId, token.SecretAccessKey, token.SessionToken);
        var assumed = await estate.AssumeAsync(session, estate.Role("development", "infrastructure"), "alice");
        Assert.StartsWith("ASIA", assumed.AccessKeyId, StringComparison.Ordinal);

        var plain = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 })).Credentials;
        var withoutMfa = new Cli(estate.Server.Endpoint, plain.AccessKeyId, plain.SecretAccessKey, plain.SessionToken);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => estate.AssumeAsync(withoutMfa, estate.Role("development", "infrastructure"), "alice"));
        Assert.Equal("AccessDenied", error.ErrorCode);
    }
}
