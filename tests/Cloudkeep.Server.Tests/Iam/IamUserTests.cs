using System.Text.Json;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>IAM users, groups, keys and their errors, through the AWS CLI.</summary>
public abstract class IamUserTests(ServerFixture fixture)
{
    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task Users_CreateGetListTagDelete_RoundTrip()
    {
        var created = (await _root.RunAsync("iam", "create-user", "--user-name", "erin", "--path", "/people/", "--tags", "Key=team,Value=dm")).GetProperty("User");
        Assert.Equal($"arn:aws:iam::{fixture.Server.AccountId}:user/people/erin", created.GetProperty("Arn").GetString());
        Assert.StartsWith("AIDA", created.GetProperty("UserId").GetString(), StringComparison.Ordinal);
        var fetched = (await _root.RunAsync("iam", "get-user", "--user-name", "ERIN")).GetProperty("User");
        Assert.Equal("erin", fetched.GetProperty("UserName").GetString());
        var listed = await _root.RunAsync("iam", "list-users", "--path-prefix", "/people/");
        Assert.Contains(listed.GetProperty("Users").EnumerateArray(), u => u.GetProperty("UserName").GetString() == "erin");
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-user", "--user-name", "Erin"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "delete-user", "--user-name", "erin");
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-user", "--user-name", "erin"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task CreateUser_IllegalName_IsValidationErrorAndCreatesNothing(string name)
    {
        var error = await _root.FailAsync("iam", "create-user", "--user-name", name);
        Assert.Contains("ValidationError", error, StringComparison.Ordinal);
        var users = await _root.RunAsync("iam", "list-users");
        Assert.DoesNotContain(users.GetProperty("Users").EnumerateArray(), u => u.GetProperty("UserName").GetString() == name);
    }

    [Fact]
    public async Task DeleteUser_WithKeysGroupsOrPolicies_IsDeleteConflictUntilRemoved()
    {
        await _root.RunAsync("iam", "create-group", "--group-name", "conflicts");
        var frank = await _root.CreateUserWithKeyAsync("frank", "conflicts");
        await _root.RunAsync("iam", "put-user-policy", "--user-name", "frank", "--policy-name", "p", "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""");
        Assert.Contains("DeleteConflict", await _root.FailAsync("iam", "delete-user", "--user-name", "frank"), StringComparison.Ordinal);
        Assert.Contains("DeleteConflict", await _root.FailAsync("iam", "delete-group", "--group-name", "conflicts"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "delete-access-key", "--user-name", "frank", "--access-key-id", frank.AccessKeyId);
        await _root.RunAsync("iam", "remove-user-from-group", "--user-name", "frank", "--group-name", "conflicts");
        Assert.Contains("DeleteConflict", await _root.FailAsync("iam", "delete-user", "--user-name", "frank"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "delete-user-policy", "--user-name", "frank", "--policy-name", "p");
        await _root.RunAsync("iam", "delete-user", "--user-name", "frank");
        await _root.RunAsync("iam", "delete-group", "--group-name", "conflicts");
    }

    [Fact]
    public async Task AccessKeys_TwoAtMost_InactiveRefused_DeletedGone()
    {
        var gina = await _root.CreateUserWithKeyAsync("gina");
        await _root.RunAsync("iam", "create-access-key", "--user-name", "gina");
        Assert.Contains("LimitExceeded", await _root.FailAsync("iam", "create-access-key", "--user-name", "gina"), StringComparison.Ordinal);
        var identity = await gina.RunAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:iam::{fixture.Server.AccountId}:user/gina", identity.GetProperty("Arn").GetString());
        await _root.RunAsync("iam", "update-access-key", "--user-name", "gina", "--access-key-id", gina.AccessKeyId, "--status", "Inactive");
        Assert.Contains("InvalidClientTokenId", await gina.FailAsync("sts", "get-caller-identity"), StringComparison.Ordinal);
        var keys = await _root.RunAsync("iam", "list-access-keys", "--user-name", "gina");
        Assert.Contains(keys.GetProperty("AccessKeyMetadata").EnumerateArray(), k => k.GetProperty("Status").GetString() == "Inactive");
        await _root.RunAsync("iam", "delete-access-key", "--user-name", "gina", "--access-key-id", gina.AccessKeyId);
        Assert.Contains("InvalidClientTokenId", await gina.FailAsync("sts", "get-caller-identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_WithoutPolicies_IsDeniedWithTheEnhancedMessage()
    {
        var henry = await _root.CreateUserWithKeyAsync("henry");
        var error = await henry.FailAsync("iam", "list-users");
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
        Assert.True(error.Contains($"User: arn:aws:iam::{fixture.Server.AccountId}:user/henry is not authorized to perform: iam:ListUsers because", StringComparison.Ordinal), error);
        Assert.Contains("because no identity-based policy allows the iam:ListUsers action", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupPolicy_GrantsItsMembers_AndExplicitDenyWins()
    {
        await _root.RunAsync("iam", "create-group", "--group-name", "readers");
        await _root.RunAsync("iam", "attach-group-policy", "--group-name", "readers", "--policy-arn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess");
        var ivy = await _root.CreateUserWithKeyAsync("ivy", "readers");
        var users = await ivy.RunAsync("iam", "list-users");
        Assert.True(users.GetProperty("Users").GetArrayLength() > 0);
        Assert.Contains("AccessDenied", await ivy.FailAsync("iam", "create-user", "--user-name", "nope"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "put-user-policy", "--user-name", "ivy", "--policy-name", "no-lists", "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}""");
        var denied = await ivy.FailAsync("iam", "list-users");
        Assert.Contains("with an explicit deny in an identity-based policy", denied, StringComparison.Ordinal);
        await ivy.RunAsync("iam", "list-groups");
    }

    [Fact]
    public async Task ManagedPolicy_Versions_FiveAtMost_DefaultCannotBeDeleted()
    {
        var doc = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}""";
        var policy = (await _root.RunAsync("iam", "create-policy", "--policy-name", "versions", "--policy-document", doc)).GetProperty("Policy");
        var arn = policy.GetProperty("Arn").GetString()!;
        for (var i = 0; i < 4; i++)
        {
            await _root.RunAsync("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", doc);
        }

        Assert.Contains("LimitExceeded", await _root.FailAsync("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", doc), StringComparison.Ordinal);
        Assert.Contains("DeleteConflict", await _root.FailAsync("iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", "v5");
        await _root.RunAsync("iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1");
        var version = (await _root.RunAsync("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v5")).GetProperty("PolicyVersion");
        Assert.True(version.GetProperty("IsDefaultVersion").GetBoolean());
        Assert.Equal("s3:ListBucket", version.GetProperty("Document").GetProperty("Statement")[0].GetProperty("Action").GetString());
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""not json""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""")]
    public async Task CreatePolicy_MalformedDocument_IsMalformedPolicyDocumentAndCreatesNothing(string document)
    {
        var error = await _root.FailAsync("iam", "create-policy", "--policy-name", "malformed", "--policy-document", document);
        Assert.Contains("MalformedPolicyDocument", error, StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-policy", "--policy-arn", $"arn:aws:iam::{fixture.Server.AccountId}:policy/malformed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListUsers_Paginates_WithMarker()
    {
        for (var i = 0; i < 5; i++)
        {
            await _root.RunAsync("iam", "create-user", "--user-name", $"page-{i}", "--path", "/paging/");
        }

        var first = await _root.RunAsync("iam", "list-users", "--path-prefix", "/paging/", "--max-items", "2");
        Assert.Equal(2, first.GetProperty("Users").GetArrayLength());
        var token = first.GetProperty("NextToken").GetString()!;
        var rest = await _root.RunAsync("iam", "list-users", "--path-prefix", "/paging/", "--starting-token", token);
        Assert.Equal(3, rest.GetProperty("Users").GetArrayLength());
        Assert.Empty(first.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserName").GetString())
            .Intersect(rest.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserName").GetString())));
    }

    [Fact]
    public async Task Role_TrustPolicyRoundTripsDecoded()
    {
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";
        await _root.RunAsync("iam", "create-role", "--role-name", "decoded", "--assume-role-policy-document", trust);
        var role = (await _root.RunAsync("iam", "get-role", "--role-name", "decoded")).GetProperty("Role");
        Assert.Equal(JsonValueKind.Object, role.GetProperty("AssumeRolePolicyDocument").ValueKind);
        Assert.Equal(3600, role.GetProperty("MaxSessionDuration").GetInt32());
        Assert.Contains("MalformedPolicyDocument", await _root.FailAsync("iam", "update-assume-role-policy", "--role-name", "decoded", "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PermissionsBoundary_LimitsWhatPoliciesGrant()
    {
        var kim = await _root.CreateUserWithKeyAsync("kim");
        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "kim", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        await kim.RunAsync("iam", "create-group", "--group-name", "kim-made");
        await _root.RunAsync("iam", "put-user-permissions-boundary", "--user-name", "kim", "--permissions-boundary", "arn:aws:iam::aws:policy/IAMReadOnlyAccess");
        Assert.Equal("arn:aws:iam::aws:policy/IAMReadOnlyAccess", (await _root.RunAsync("iam", "get-user", "--user-name", "kim")).GetProperty("User").GetProperty("PermissionsBoundary").GetProperty("PermissionsBoundaryArn").GetString());
        await kim.RunAsync("iam", "list-groups");
        var denied = await kim.FailAsync("iam", "create-group", "--group-name", "kim-blocked");
        Assert.Contains("because no permissions boundary allows the iam:CreateGroup action", denied, StringComparison.Ordinal);
        await _root.RunAsync("iam", "delete-user-permissions-boundary", "--user-name", "kim");
        await kim.RunAsync("iam", "create-group", "--group-name", "kim-allowed");
    }

    [Fact]
    public async Task Tags_TagUntagList_OnUsersAndRoles()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "tagged");
        await _root.RunAsync("iam", "tag-user", "--user-name", "tagged", "--tags", "Key=team,Value=dm", "Key=stage,Value=dev");
        await _root.RunAsync("iam", "untag-user", "--user-name", "tagged", "--tag-keys", "stage");
        var tags = (await _root.RunAsync("iam", "list-user-tags", "--user-name", "tagged")).GetProperty("Tags");
        Assert.Equal(1, tags.GetArrayLength());
        Assert.Equal("dm", tags[0].GetProperty("Value").GetString());
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "tag-role", "--role-name", "missing", "--tags", "Key=a,Value=b"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountAlias_OnePerAccount_AndSummaryCounts()
    {
        await _root.RunAsync("iam", "create-account-alias", "--account-alias", "digital-marketplace-main");
        Assert.Contains("LimitExceeded", await _root.FailAsync("iam", "create-account-alias", "--account-alias", "another-alias"), StringComparison.Ordinal);
        var aliases = (await _root.RunAsync("iam", "list-account-aliases")).GetProperty("AccountAliases");
        Assert.Equal("digital-marketplace-main", aliases[0].GetString());
        var summary = (await _root.RunAsync("iam", "get-account-summary")).GetProperty("SummaryMap");
        Assert.True(summary.GetProperty("Users").GetInt32() >= 0);
        Assert.Equal(1, summary.GetProperty("AccountAccessKeysPresent").GetInt32());
        await _root.RunAsync("iam", "delete-account-alias", "--account-alias", "digital-marketplace-main");
    }

    [Fact]
    public async Task SimulatePrincipalPolicy_AnswersFromTheEngine_WithMatchedStatements()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "sim");
        await _root.RunAsync("iam", "put-user-policy", "--user-name", "sim", "--policy-name", "home", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/home/${aws:username}/*"},{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/home/*/secret"}]}""");
        var arn = $"arn:aws:iam::{fixture.Server.AccountId}:user/sim";
        var result = await _root.RunAsync("iam", "simulate-principal-policy", "--policy-source-arn", arn, "--action-names", "s3:GetObject", "s3:PutObject",
            "--resource-arns", "arn:aws:s3:::docs/home/sim/a.txt", "arn:aws:s3:::docs/home/sim/secret");
        var decisions = result.GetProperty("EvaluationResults").EnumerateArray()
            .ToDictionary(r => r.GetProperty("EvalActionName").GetString() + " " + r.GetProperty("EvalResourceName").GetString(), r => r.GetProperty("EvalDecision").GetString());
        Assert.Equal("allowed", decisions["s3:GetObject arn:aws:s3:::docs/home/sim/a.txt"]);
        Assert.Equal("explicitDeny", decisions["s3:GetObject arn:aws:s3:::docs/home/sim/secret"]);
        Assert.Equal("implicitDeny", decisions["s3:PutObject arn:aws:s3:::docs/home/sim/a.txt"]);

        var custom = await _root.RunAsync("iam", "simulate-custom-policy", "--policy-input-list",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}""",
            "--action-names", "kms:Decrypt", "--context-entries", "ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.9,ContextKeyType=ip");
        Assert.Equal("allowed", custom.GetProperty("EvaluationResults")[0].GetProperty("EvalDecision").GetString());

        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "sim", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        var entities = await _root.RunAsync("iam", "list-entities-for-policy", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        Assert.Contains(entities.GetProperty("PolicyUsers").EnumerateArray(), u => u.GetProperty("UserName").GetString() == "sim");
    }

    [Fact]
    public async Task CredentialReport_HasAwsColumnsAndEveryUser()
    {
        await _root.CreateUserWithKeyAsync("reported");
        var generated = await _root.RunAsync("iam", "generate-credential-report");
        Assert.Equal("COMPLETE", generated.GetProperty("State").GetString());
        var report = await _root.RunAsync("iam", "get-credential-report");
        var csv = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(report.GetProperty("Content").GetString()!));
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("user,arn,user_creation_time,password_enabled,password_last_used", lines[0], StringComparison.Ordinal);
        Assert.Equal(22, lines[0].Split(',').Length);
        Assert.StartsWith("<root_account>,", lines[1], StringComparison.Ordinal);
        var row = lines.Single(l => l.StartsWith("reported,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(22, row.Length);
        Assert.Equal("true", row[8]);
    }

    [Fact]
    public async Task UpdateRole_ChangesDescriptionAndMaxSession()
    {
        await _root.RunAsync("iam", "create-role", "--role-name", "updatable", "--assume-role-policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""");
        await _root.RunAsync("iam", "update-role", "--role-name", "updatable", "--description", "infra", "--max-session-duration", "7200");
        var role = (await _root.RunAsync("iam", "get-role", "--role-name", "updatable")).GetProperty("Role");
        Assert.Equal(("infra", 7200), (role.GetProperty("Description").GetString(), role.GetProperty("MaxSessionDuration").GetInt32()));
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "update-role", "--role-name", "missing", "--description", "x"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccountAuthorizationDetails_ListsEntitiesWithTheirPolicies()
    {
        await _root.RunAsync("iam", "create-group", "--group-name", "detailed");
        await _root.RunAsync("iam", "attach-group-policy", "--group-name", "detailed", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        await _root.RunAsync("iam", "create-user", "--user-name", "detailed-user");
        await _root.RunAsync("iam", "add-user-to-group", "--user-name", "detailed-user", "--group-name", "detailed");
        var details = await _root.RunAsync("iam", "get-account-authorization-details");
        var user = details.GetProperty("UserDetailList").EnumerateArray().Single(u => u.GetProperty("UserName").GetString() == "detailed-user");
        Assert.Equal("detailed", user.GetProperty("GroupList")[0].GetString());
        var group = details.GetProperty("GroupDetailList").EnumerateArray().Single(g => g.GetProperty("GroupName").GetString() == "detailed");
        Assert.Equal("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", group.GetProperty("AttachedManagedPolicies")[0].GetProperty("PolicyArn").GetString());
        Assert.Contains(details.GetProperty("Policies").EnumerateArray(), p => p.GetProperty("PolicyName").GetString() == "AmazonS3ReadOnlyAccess");
        var onlyRoles = await _root.RunAsync("iam", "get-account-authorization-details", "--filter", "Role");
        Assert.False(onlyRoles.TryGetProperty("UserDetailList", out var none) && none.GetArrayLength() > 0);
    }

    [Fact]
    public async Task AccessKeyLastUsed_ContextKeys_AndDecodeMessage()
    {
        var lena = await _root.CreateUserWithKeyAsync("lena");
        var before = (await _root.RunAsync("iam", "get-access-key-last-used", "--access-key-id", lena.AccessKeyId)).GetProperty("AccessKeyLastUsed");
        Assert.Equal("N/A", before.GetProperty("ServiceName").GetString());
        await lena.RunAsync("sts", "get-caller-identity");
        var after = (await _root.RunAsync("iam", "get-access-key-last-used", "--access-key-id", lena.AccessKeyId)).GetProperty("AccessKeyLastUsed");
        Assert.Equal(("sts", "eu-west-1"), (after.GetProperty("ServiceName").GetString(), after.GetProperty("Region").GetString()));
        Assert.True(after.TryGetProperty("LastUsedDate", out _));

        await _root.RunAsync("iam", "put-user-policy", "--user-name", "lena", "--policy-name", "ip", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""");
        var keys = await _root.RunAsync("iam", "get-context-keys-for-principal-policy", "--policy-source-arn", $"arn:aws:iam::{fixture.Server.AccountId}:user/lena");
        Assert.Equal(["aws:MultiFactorAuthPresent", "aws:SourceIp"], keys.GetProperty("ContextKeyNames").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("InvalidAuthorizationMessageException", await _root.FailAsync("sts", "decode-authorization-message", "--encoded-message", "abc"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateUserAndGroup_Rename_KeysAndMembershipFollow()
    {
        await _root.RunAsync("iam", "create-group", "--group-name", "old-team");
        var mia = await _root.CreateUserWithKeyAsync("mia", "old-team");
        await _root.RunAsync("iam", "create-user", "--user-name", "taken");
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "update-user", "--user-name", "mia", "--new-user-name", "taken"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "update-user", "--user-name", "mia", "--new-user-name", "mia2", "--new-path", "/people/");
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-user", "--user-name", "mia"), StringComparison.Ordinal);
        var identity = await mia.RunAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:iam::{fixture.Server.AccountId}:user/people/mia2", identity.GetProperty("Arn").GetString());
        await _root.RunAsync("iam", "update-group", "--group-name", "old-team", "--new-group-name", "new-team");
        var groups = await _root.RunAsync("iam", "list-groups-for-user", "--user-name", "mia2");
        Assert.Equal("new-team", groups.GetProperty("Groups")[0].GetProperty("GroupName").GetString());
    }
}

public sealed class IamUserTestsOnSqlite(ServerFixture fixture) : IamUserTests(fixture), IClassFixture<ServerFixture>;

public sealed class IamUserTestsOnPostgres(PostgresServerFixture fixture) : IamUserTests(fixture), IClassFixture<PostgresServerFixture>;
