using System.Net;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The KMS and Organizations pages, run as the signed-in person.</summary>
public sealed partial class ConsoleKmsOrganizationsTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string Everything = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private TestServer _server = null!;
    private ConsoleClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await ConsoleClient.CreateUserAsync(_server, "admin", Password, inlinePolicy: Everything);
        _admin = new ConsoleClient(_server.Endpoint);
        await _admin.FollowAsync(await _admin.SignInAsync(_server.AccountId, "admin", Password));
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

    [GeneratedRegex("/console/kms/key\\?region=eu-west-1&amp;id=([0-9a-f-]{36})")]
    private static partial Regex KeyLink();
}
