using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;
using Microsoft.Playwright;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// The console's security pages in a real browser (Debian's chromium, scripts off): an auditor
/// granted cloudtrail:LookupEvents, cloudkeep:ListFindings and cloudkeep:ListAlerts reads the event
/// history (a filter, paging by NextToken, one event's record), the security watch's findings and
/// the alerts they raised with their delivery; a user granted nothing gets the engine's
/// AccessDenied on each. Screenshots land in console-screenshots/ beside the test assembly.
/// </summary>
public sealed class ConsoleSecurityPagesTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "Auditor-Console-2026";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private TestServer _server = null!;
    private IamClient _iam = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // The watch runs once at start, on the fresh estate: root's access key and no trail are findings, and alerts.
        _server = await TestServer.StartAsync(watch: new SecurityWatchOptions { Interval = TimeSpan.FromDays(1), Regions = ["us-east-1"] });
        _http = new HttpClient();
        _iam = new IamClient(_http, new Uri(_server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await UserAsync("auditor", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudtrail:LookupEvents","cloudkeep:ListFindings","cloudkeep:ListAlerts"],"Resource":"*"}]}""");
        await UserAsync("nobody", null);

        // Enough events for a second page of the event history (50 to a page).
        for (var i = 0; i < 50; i++)
        {
            await _iam.CallAsync("GetUser", [new("UserName", "nobody")], CancellationToken.None);
        }

        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SecurityPages_AuditorReadsEventsFindingsAndAlerts_UserWithoutPermissionIsRefused()
    {
        Assert.True(File.Exists(Chromium), "chromium is not installed (test.sh installs it)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var options = new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } };
        await using var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "auditor");

        // Event history: the 52 calls above (and more) page by NextToken; a filter narrows to one event name.
        await PollAsync(page, "/console/cloudtrail?key=EventName&value=CreateLoginProfile", async () => (await page.Locator("#events tbody tr").CountAsync()) == 2);
        Assert.Contains("CreateLoginProfile", await page.InnerTextAsync("#events"), StringComparison.Ordinal);
        Assert.Equal("CreateLoginProfile", await page.InputValueAsync("#value"));
        await page.GotoAsync($"{_server.Endpoint}/console/cloudtrail");
        Assert.Equal(50, await page.Locator("#events tbody tr").CountAsync());
        await ShotAsync(page, "10-event-history");
        await page.ClickAsync("#paging a:has-text('Next page')");
        Assert.True(await page.Locator("#events tbody tr").CountAsync() >= 2);
        Assert.True(await page.IsVisibleAsync("#paging a:has-text('First page')"));
        await page.ClickAsync("#events tbody tr >> nth=0 >> a");
        Assert.Contains("\"eventVersion\"", await page.InnerTextAsync("#record"), StringComparison.Ordinal);
        Assert.Contains("\"eventSource\"", await page.InnerTextAsync("#record"), StringComparison.Ordinal);
        Assert.Contains("Source IP address", await page.InnerTextAsync("#event"), StringComparison.Ordinal);
        await ShotAsync(page, "11-event-record");

        // A time range before the server started matches nothing; one starting tomorrow is the API's error.
        string Day(int days) => DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"{_server.Endpoint}/console/cloudtrail?start={Day(-2)}&end={Day(-1)}");
        Assert.Contains("No events match.", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.GotoAsync($"{_server.Endpoint}/console/cloudtrail?start={Day(1)}");
        Assert.Contains("InvalidTimeRangeException", await page.InnerTextAsync(".error"), StringComparison.Ordinal);

        // Findings: the watch's pass at start.
        await PollAsync(page, "/console/findings", () => page.IsVisibleAsync("#findings"));
        var findings = await page.InnerTextAsync("#findings");
        Assert.Contains("ROOT_ACCESS_KEY", findings, StringComparison.Ordinal);
        Assert.Contains("Critical", findings, StringComparison.Ordinal);
        Assert.Contains("TRAIL_OFF", findings, StringComparison.Ordinal);
        Assert.Contains("delete the root access key", findings, StringComparison.Ordinal);
        await ShotAsync(page, "12-findings");

        // Alerts: the critical and high findings, delivered as e-mail (.eml files without --smtp); the rules in force.
        await PollAsync(page, "/console/alerts", async () => (await page.InnerTextAsync("#alerts")).Contains("email: delivered", StringComparison.Ordinal));
        Assert.Contains("security-watch-ROOT_ACCESS_KEY", await page.InnerTextAsync("#alerts"), StringComparison.Ordinal);
        var rules = await page.InnerTextAsync("#rules");
        Assert.Contains("root-sign-in", rules, StringComparison.Ordinal);
        Assert.Contains("security-watch-CHECK", rules, StringComparison.Ordinal);
        await ShotAsync(page, "13-alerts");

        // Someone granted nothing: the engine's AccessDenied, naming the action, on each page.
        await using var other = await browser.NewContextAsync(options);
        var refused = await other.NewPageAsync();
        await SignInAsync(refused, "nobody");
        foreach (var (path, action) in new[] { ("/console/findings", "cloudkeep:ListFindings"), ("/console/alerts", "cloudkeep:ListAlerts"), ("/console/cloudtrail", "cloudtrail:LookupEvents") })
        {
            await refused.GotoAsync(_server.Endpoint + path);
            var error = await refused.InnerTextAsync(".error");
            Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
            Assert.Contains(action, error, StringComparison.Ordinal);
            Assert.Contains("no identity-based policy allows", error, StringComparison.Ordinal);
        }

        await ShotAsync(refused, "14-findings-refused");
    }

    private async Task UserAsync(string name, string? policy)
    {
        await _iam.CallAsync("CreateUser", [new("UserName", name)], CancellationToken.None);
        await _iam.CallAsync("CreateLoginProfile", [new("UserName", name), new("Password", Password), new("PasswordResetRequired", "false")], CancellationToken.None);
        if (policy is not null)
        {
            await _iam.CallAsync("PutUserPolicy", [new("UserName", name), new("PolicyName", "security-pages"), new("PolicyDocument", policy)], CancellationToken.None);
        }
    }

    private async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync($"{_server.Endpoint}/console/signin?account={_server.AccountId}");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
    }

    /// <summary>Loads the page until the condition holds: recording, the watch's pass and delivery happen beside the requests.</summary>
    private async Task PollAsync(IPage page, string path, Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            await page.GotoAsync(_server.Endpoint + path);
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} never showed what was expected:\n{await page.InnerTextAsync("main")}");
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
}
