using System.Text.Json.Nodes;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Estate;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Cloudkeep.Watch;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Cloudkeep.Server.Tests.Watch;

/// <summary>
/// serve's security watch: on the applied example estate its findings are the findings of
/// `cloudkeep watch` (same checks, same ids, same words); a new high finding is alerted once; the
/// job runs at start, keeps its findings in the store, and a restart within the interval does not
/// run it again.
/// </summary>
public sealed class SecurityWatchJobTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    [Fact]
    public async Task Pass_ExampleEstate_SameFindingsAsTheWatchCommand_ThenANewHighFindingIsAlertedOnce()
    {
        await using var server = await TestServer.StartAsync(tls: true, watch: new SecurityWatchOptions { Interval = TimeSpan.Zero, Regions = ["eu-west-2"] });
        using var directory = new TempDirectory("cloudkeep-watch-job-test-");
        using var http = new HttpClient(CaBundle.From(server.CaFile)!.Handler(), disposeHandler: true);
        var admin = await ApplyExampleAsync(server, http, directory.Path);
        string? Variable(string name) => name switch { "AWS_ENDPOINT_URL" => server.Endpoint, "AWS_CA_BUNDLE" => server.CaFile, _ => null };

        var command = await CommandFindingsAsync(admin, Variable);
        var watch = server.Server.Services.GetRequiredService<Server.Watch.SecurityWatch>();
        var pass = await watch.RunAsync(CancellationToken.None);
        var store = server.Server.Services.GetRequiredService<WatchFindingsRepository>();
        var accounts = command.Select(f => f.Account).Distinct().ToList();
        Assert.Equal(4, pass.Accounts);
        Assert.Equal(0, pass.Failed);
        var job = new List<string>();
        foreach (var account in (await server.Server.Services.GetRequiredService<AccountRepository>().ListAsync(CancellationToken.None)).Select(a => a.AccountId))
        {
            job.AddRange((await store.FindingsAsync(account, CancellationToken.None)).Select(f => Line(f.CheckId, f.Severity, f.AccountId, f.Resource, f.Why, f.Fix)));
        }

        Assert.NotEmpty(command);
        Assert.Equal(command.Select(f => Line(f.Id, f.Severity.ToString(), f.Account, f.Resource, f.Why, f.Fix)).Order(StringComparer.Ordinal), job.Order(StringComparer.Ordinal));
        Assert.Contains(command, f => f.Id == "POLICY_ADMIN_WITHOUT_MFA");

        // Every high finding of the first pass was alerted, as an e-mail in the outbox naming the check.
        var high = command.Count(f => f.Severity >= Checks.Severity.High);
        Assert.Equal(high, pass.NewHigh);
        // (The estate's own events raise the event rules' alerts too: only the watch's are counted.)
        var outbox = AlertSinks.OutboxDirectory(server.DataDirectory);
        var messages = await PollAsync(async () =>
        {
            var mails = Directory.Exists(outbox) ? await Task.WhenAll(Directory.GetFiles(outbox, "alert-*.eml").Select(m => MimeMessage.LoadAsync(m))) : [];
            var watched = mails.Where(m => m.Headers["X-Cloudkeep-Alert-Rule"]?.StartsWith("security-watch-", StringComparison.Ordinal) == true).ToList();
            return watched.Count == high ? watched : null;
        });
        Assert.Contains(messages, m => m.Subject is { } subject && subject.Contains("new high finding POLICY_ADMIN_WITHOUT_MFA", StringComparison.Ordinal) && m.TextBody is { } text && text.Contains("How to fix it:", StringComparison.Ordinal));

        // A role anyone may assume appears: the next pass alerts it, and only it.
        var iam = new IamClient(http, new Uri(server.Endpoint), admin, TimeProvider.System);
        await iam.CallAsync("CreateRole", [new("RoleName", "open-door"), new("AssumeRolePolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""")], CancellationToken.None);
        var again = await watch.RunAsync(CancellationToken.None);
        Assert.Equal(1, again.NewHigh);
        var open = Assert.Single(await store.FindingsAsync(server.AccountId, CancellationToken.None), f => f.CheckId == "ROLE_TRUSTS_ANYONE");
        Assert.Equal($"arn:aws:iam::{server.AccountId}:role/open-door", open.Resource);
        var third = await watch.RunAsync(CancellationToken.None);
        Assert.Equal(0, third.NewHigh);
        Assert.True(accounts.Count == 4, string.Join(",", accounts));
    }

    [Fact]
    public async Task Job_RunsAtStart_KeepsFindings_RestartWithinTheIntervalDoesNotRunAgain()
    {
        using var data = new TempDirectory();
        var daily = new SecurityWatchOptions { Interval = TimeSpan.FromDays(1), Regions = ["eu-west-1"] };
        long checkedMs;
        await using (var server = await TestServer.StartAsync(dataDirectory: data.Path, watch: daily))
        {
            var store = server.Server.Services.GetRequiredService<WatchFindingsRepository>();
            var account = await PollAsync(() => store.AccountAsync(server.AccountId, CancellationToken.None));
            Assert.Null(account.Error);
            checkedMs = account.CheckedMs;

            // A fresh server: root's access key (critical) and no trail in the region read (high).
            var findings = await store.FindingsAsync(server.AccountId, CancellationToken.None);
            Assert.Contains(findings, f => f.CheckId == "ROOT_ACCESS_KEY" && f.Severity == "Critical");
            Assert.Contains(findings, f => f.CheckId == "TRAIL_OFF" && f.Resource == $"arn:aws:cloudtrail:eu-west-1:{server.AccountId}:trail/*");
        }

        await using (var restarted = await TestServer.StartAsync(dataDirectory: data.Path, watch: daily))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var account = await restarted.Server.Services.GetRequiredService<WatchFindingsRepository>().AccountAsync(restarted.AccountId, CancellationToken.None);
            Assert.Equal(checkedMs, account!.CheckedMs);
            Assert.Contains(await restarted.Server.Services.GetRequiredService<WatchFindingsRepository>().FindingsAsync(restarted.AccountId, CancellationToken.None), f => f.CheckId == "ROOT_ACCESS_KEY");
        }
    }

    private static string Line(string id, string severity, string account, string resource, string why, string fix) => string.Join(" | ", id, severity, account, resource, why, fix);

    /// <summary>`cloudkeep watch --role-name OrganizationAccountAccessRole --json` over the whole organization, as the estate's administrator.</summary>
    private static async Task<IReadOnlyList<Checks.Finding>> CommandFindingsAsync(AWSCredentials admin, Func<string, string?> variable)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await new WatchRunner(output, error, _ => admin, variable, TimeProvider.System)
            .RunAsync(new WatchArguments(null, null, "eu-west-2") { RoleName = "OrganizationAccountAccessRole", Json = true }, CancellationToken.None);
        Assert.True(exit is 0 or 1, error.ToString());
        var report = JsonNode.Parse(output.ToString())!;
        return [.. report["findings"]!.AsArray().Select(f => new Checks.Finding(f!["id"]!.GetValue<string>(), Enum.Parse<Checks.Severity>(f["severity"]!.GetValue<string>()),
            f["account"]!.GetValue<string>(), f["resource"]!.GetValue<string>(), f["why"]!.GetValue<string>(), f["fix"]!.GetValue<string>()))];
    }

    /// <summary>An IAM administrator (root cannot assume roles into member accounts) applies examples/digital-marketplace; root's key is then deleted, as the seed has it.</summary>
    private static async Task<AWSCredentials> ApplyExampleAsync(TestServer server, HttpClient http, string directory)
    {
        AWSCredentials root = new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
        var rootIam = new IamClient(http, new Uri(server.Endpoint), root, TimeProvider.System);
        await rootIam.CallAsync("CreateUser", [new("UserName", "estate-admin")], CancellationToken.None);
        await rootIam.CallAsync("AttachUserPolicy", [new("UserName", "estate-admin"), new("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")], CancellationToken.None);
        var key = await rootIam.CallAsync("CreateAccessKey", [new("UserName", "estate-admin")], CancellationToken.None);
        AWSCredentials admin = new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId"), IamClient.Descendant(key, "SecretAccessKey"));
        Directory.CreateDirectory(Path.Combine(directory, "policies"));
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            File.Copy(policy, Path.Combine(directory, "policies", Path.GetFileName(policy)));
        }

        var estate = Path.Combine(directory, "estate.yaml");
        File.Copy(Path.Combine(Example, "estate.yaml"), estate);
        string? Variable(string name) => name switch { "AWS_ENDPOINT_URL" => server.Endpoint, "AWS_CA_BUNDLE" => server.CaFile, _ => null };
        using var applyOut = new StringWriter();
        using var applyErr = new StringWriter();
        var applied = await new EstateRunner(applyOut, applyErr, new StringReader(""), false, _ => admin, Variable, TimeProvider.System)
            .ApplyAsync(new EstateArguments(estate, null, null, "eu-west-2", true), CancellationToken.None);
        Assert.True(applied == 0, applyOut.ToString() + applyErr);
        await rootIam.CallAsync("DeleteAccessKey", [new("AccessKeyId", TestServer.RootAccessKeyId)], CancellationToken.None);
        return admin;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the condition was not met in 10 s");
    }

    private static Task<T> PollAsync<T>(Func<T?> probe) => PollAsync(() => Task.FromResult(probe()));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
