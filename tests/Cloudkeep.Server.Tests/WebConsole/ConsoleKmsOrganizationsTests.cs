using System.Net;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The KMS and Organizations pages, run as the signed-in person.</summary>
public sealed partial class ConsoleKmsOrganizationsTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";

    private TestServer _server = null!;
    private ConsoleClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _admin = await ConsoleClient.SignedInAdministratorAsync(_server, "admin", Password);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Kms_CreateDisableScheduleCancelAndEditThePolicy()
    {
        var created = await _admin.PostAsync("/console/kms/create", new Dictionary<string, string> { ["region"] = "eu-west-1", ["description"] = "console key", ["alias"] = "console" });
        Assert.Contains("Key created.", created.Body, StringComparison.Ordinal);
        Assert.Contains("<td>alias/console</td>", created.Body, StringComparison.Ordinal);
        var id = KeyLink().Match(created.Body).Groups[1].Value;

        var disabled = await _admin.PostAsync("/console/kms/key/action", new Dictionary<string, string> { ["region"] = "eu-west-1", ["id"] = id, ["action"] = "DisableKey" });
        Assert.Contains("<dd>Disabled</dd>", disabled.Body, StringComparison.Ordinal);
        var scheduled = await _admin.PostAsync("/console/kms/key/action", new Dictionary<string, string> { ["region"] = "eu-west-1", ["id"] = id, ["action"] = "ScheduleKeyDeletion" });
        Assert.Contains("<dd>PendingDeletion</dd>", scheduled.Body, StringComparison.Ordinal);
        var cancelled = await _admin.PostAsync("/console/kms/key/action", new Dictionary<string, string> { ["region"] = "eu-west-1", ["id"] = id, ["action"] = "CancelKeyDeletion" });
        Assert.Contains("<dd>Disabled</dd>", cancelled.Body, StringComparison.Ordinal);

        var bad = await _admin.PostAsync("/console/kms/key/policy", new Dictionary<string, string> { ["region"] = "eu-west-1", ["id"] = id, ["policy"] = "{not json" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("MalformedPolicyDocumentException", bad.Body, StringComparison.Ordinal);
        Assert.Contains("{not json", bad.Body, StringComparison.Ordinal);

        // Another region has its own keys.
        Assert.DoesNotContain(id, (await _admin.GetAsync("/console/kms?region=eu-west-2")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organizations_ShowsAccountsTheRootAndScps()
    {
        var page = await _admin.GetAsync("/console/organizations");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"<td class=\"mono\">{_server.AccountId}</td>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<strong>Root r-", page.Body, StringComparison.Ordinal);
        Assert.Contains("FullAWSAccess", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KmsAliases_CreatedRepointedDeleted_KmsMessageOnARefusal()
    {
        var first = KeyLink().Match((await _admin.PostAsync("/console/kms/create", new Dictionary<string, string> { ["region"] = "eu-west-1", ["description"] = "first" })).Body).Groups[1].Value;
        var second = KeyLink().Match((await _admin.PostAsync("/console/kms/create", new Dictionary<string, string> { ["region"] = "eu-west-1", ["description"] = "second" })).Body).Groups[1].Value;

        var created = await _admin.PostAsync("/console/kms/aliases/create", new Dictionary<string, string> { ["region"] = "eu-west-1", ["alias"] = "documents", ["targetKeyId"] = first });
        Assert.Contains("Alias alias/documents created.", created.Body, StringComparison.Ordinal);
        var root = Cli.Root(_server);
        async Task<string?> TargetAsync() =>
            (await root.RunAsync("kms", "list-aliases", "--region", "eu-west-1")).GetProperty("Aliases").EnumerateArray()
                .Where(a => a.GetProperty("AliasName").GetString() == "alias/documents").Select(a => a.GetProperty("TargetKeyId").GetString()).FirstOrDefault();
        Assert.Equal(first, await TargetAsync());
        var again = await _admin.PostAsync("/console/kms/aliases/create", new Dictionary<string, string> { ["region"] = "eu-west-1", ["alias"] = "documents", ["targetKeyId"] = second });
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains("AlreadyExistsException", again.Body, StringComparison.Ordinal);

        var updated = await _admin.PostAsync("/console/kms/aliases/update", new Dictionary<string, string> { ["region"] = "eu-west-1", ["alias"] = "alias/documents", ["targetKeyId"] = second });
        Assert.Contains("Alias alias/documents updated.", updated.Body, StringComparison.Ordinal);
        Assert.Equal(second, await TargetAsync());
        var deleted = await _admin.PostAsync("/console/kms/aliases/delete", new Dictionary<string, string> { ["region"] = "eu-west-1", ["alias"] = "alias/documents" });
        Assert.Contains("Alias alias/documents deleted.", deleted.Body, StringComparison.Ordinal);
        Assert.Null(await TargetAsync());
    }

    [Fact]
    public async Task Organizations_MoveAnAccountAndAttachDetachAnScp()
    {
        var root = Cli.Root(_server);
        var account = (await root.RunAsync("organizations", "create-account", "--email", "console-moved@example.invalid", "--account-name", "console-moved"))
            .GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
        var rootId = (await root.RunAsync("organizations", "list-roots")).GetProperty("Roots")[0].GetProperty("Id").GetString()!;
        var unit = (await root.RunAsync("organizations", "create-organizational-unit", "--parent-id", rootId, "--name", "workloads")).GetProperty("OrganizationalUnit").GetProperty("Id").GetString()!;
        var scp = (await root.RunAsync("organizations", "create-policy", "--name", "deny-leaving", "--type", "SERVICE_CONTROL_POLICY", "--description", "d",
            "--content", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}""")).GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Id").GetString()!;

        var moved = await _admin.PostAsync("/console/organizations/move", new Dictionary<string, string> { ["accountId"] = account, ["destination"] = unit });
        Assert.Contains($"Account {account} moved.", moved.Body, StringComparison.Ordinal);
        Assert.Equal(unit, (await root.RunAsync("organizations", "list-parents", "--child-id", account)).GetProperty("Parents")[0].GetProperty("Id").GetString());
        var attached = await _admin.PostAsync("/console/organizations/policy", new Dictionary<string, string> { ["policyId"] = scp, ["targetId"] = unit, ["action"] = "attach" });
        Assert.Contains("Policy attached.", attached.Body, StringComparison.Ordinal);
        Assert.Contains("workloads (ORGANIZATIONAL_UNIT)", attached.Body, StringComparison.Ordinal);
        var twice = await _admin.PostAsync("/console/organizations/policy", new Dictionary<string, string> { ["policyId"] = scp, ["targetId"] = unit, ["action"] = "attach" });
        Assert.Contains("DuplicatePolicyAttachmentException", twice.Body, StringComparison.Ordinal);
        var detached = await _admin.PostAsync("/console/organizations/policy", new Dictionary<string, string> { ["policyId"] = scp, ["targetId"] = unit, ["action"] = "detach" });
        Assert.Contains("Policy detached.", detached.Body, StringComparison.Ordinal);
        var badMove = await _admin.PostAsync("/console/organizations/move", new Dictionary<string, string> { ["accountId"] = "000000000000", ["destination"] = unit });
        Assert.NotEqual(HttpStatusCode.OK, badMove.Status);
        Assert.Contains("ChildNotFoundException", badMove.Body, StringComparison.Ordinal);
    }

    [GeneratedRegex("/console/kms/key\\?region=eu-west-1&amp;id=([0-9a-f-]{36})")]
    private static partial Regex KeyLink();
}
