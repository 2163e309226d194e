using System.Net;
using Cloudkeep.Server.WebConsole;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The reset's stored state: on PostgreSQL as on SQLite, and a completion never left without its event and alert.</summary>
public sealed class RootPasswordResetStoreTests
{
    private const string Password = "Postgres-Root-2026";

    [Fact]
    public async Task OperatorLink_OnPostgres_SetsThePassword_AndRootSignsIn()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(database: database);
        var link = await RootAccessSetup.RequestByOperatorAsync(server.DataDirectory, database, null, null, server.AccountId, TimeProvider.System, CancellationToken.None);
        Assert.StartsWith(server.Endpoint, link.Url.AbsoluteUri, StringComparison.Ordinal);
        using var browser = new ConsoleClient(server.Endpoint);

        await browser.GetAsync(link.Url.PathAndQuery);
        var query = System.Web.HttpUtility.ParseQueryString(link.Url.Query);
        var fields = new Dictionary<string, string> { ["account"] = query["account"]!, ["token"] = query["token"]!, ["newPassword"] = Password, ["confirmPassword"] = Password };
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/console/signin/root/reset", fields)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/console/signin/root/reset", fields)).Status);

        await browser.GetAsync("/console/signin/root");
        var signedIn = await browser.PostAsync("/console/signin/root", new Dictionary<string, string>
        {
            ["email"] = Services.Bootstrap.EstateBootstrapper.PlaceholderEmail(server.AccountId), ["password"] = Password,
        });
        Assert.Equal("/console/", signedIn.Response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task CompletionLeftUnannounced_ByANodeThatStopped_IsRecordedAndAlertedByTheJob()
    {
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock);
        var link = await RootAccessSetup.RequestByOperatorAsync(server.DataDirectory, null, null, null, server.AccountId, clock, CancellationToken.None);
        var token = System.Web.HttpUtility.ParseQueryString(link.Url.Query)["token"]!;
        Assert.True(RootPasswordReset.TryParse(token, out var selector, out _));
        var roots = server.Server.Services.GetRequiredService<RootSignInRepository>();

        // The transaction committed, then the node stopped before recording the completion.
        Assert.True(await roots.CompleteAsync(selector, server.AccountId, Passwords.Hash(Password), clock.GetUtcNow().ToUnixTimeMilliseconds(), "203.0.113.9", CancellationToken.None));
        clock.Offset += TimeSpan.FromMinutes(2);

        var events = server.Server.Services.GetRequiredService<CloudTrailRepository>();
        IReadOnlyList<CloudTrailEventRow> completed = [];
        for (var i = 0; i < 100 && completed.Count == 0; i++)
        {
            await Task.Delay(100);
            completed = [.. (await events.EventsSinceAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), 1000, CancellationToken.None)).Where(e => e.EventName == "PasswordRecoveryCompleted")];
        }

        var record = Assert.Single(completed).Record;
        Assert.Contains("\"sourceIPAddress\":\"203.0.113.9\"", record, StringComparison.Ordinal);
        var outbox = new AlertOutboxRepository(server.Server.Services.GetRequiredService<IMetadataStore>());
        var alerts = (await outbox.ListAsync(AlertOutboxRow.Pending, 100, CancellationToken.None)).Concat(await outbox.ListAsync(AlertOutboxRow.Delivered, 100, CancellationToken.None));
        Assert.Contains(alerts, a => a.Alert.Contains("root-password-reset-completed", StringComparison.Ordinal));
        Assert.Empty(await roots.UnannouncedAsync(long.MaxValue, CancellationToken.None));
    }
}
