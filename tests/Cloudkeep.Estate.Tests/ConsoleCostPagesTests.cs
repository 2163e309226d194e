using System.Globalization;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.Budgets;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Playwright;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// The console's cost pages in a real browser (Debian's chromium, scripts off): Cost Explorer's chart
/// and table over usage put straight into the metering store (grouped by service, by a tag whose
/// value is markup, filtered by a dimension, refused without ce:*), a budget created and deleted
/// through its forms (and a post without the antiforgery token refused), and CloudWatch alarms with
/// their state and history. Screenshots land in console-screenshots/ beside the test assembly.
/// </summary>
public sealed class ConsoleCostPagesTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "Cost-Console-2026!";
    private const string Hostile = "<script>alert(1)</script>";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private TestServer _server = null!;
    private HttpClient _http = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "chromium is not installed (test.sh installs it)");
        _server = await TestServer.StartAsync();
        _http = new HttpClient();
        var iam = new IamClient(_http, new Uri(_server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        foreach (var (name, policy) in new[] { ("admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""), ("nobody", null) })
        {
            await iam.CallAsync("CreateUser", [new("UserName", name)], CancellationToken.None);
            await iam.CallAsync("CreateLoginProfile", [new("UserName", name), new("Password", Password), new("PasswordResetRequired", "false")], CancellationToken.None);
            if (policy is not null)
            {
                await iam.CallAsync("PutUserPolicy", [new("UserName", name), new("PolicyName", "console"), new("PolicyDocument", policy)], CancellationToken.None);
            }
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Adds usage to the server's metering store (its SQLite file, beside the server as a second node would write it).</summary>
    private async Task MeterAsync(DateTimeOffset hour, string service, string usageType, double quantity, string? team = null)
    {
        await using var store = new SqliteMetadataStore(Path.Combine(_server.DataDirectory, "cloudkeep.db"));
        await new UsageRepository(store).AddAsync(
            [new UsageRecord(_server.AccountId, "us-east-1", service, usageType, team is null ? "" : CostTags.Canonical([new("team", team)]), hour, quantity)], CancellationToken.None);
    }

    [Fact]
    public async Task CostExplorer_ChartAndTableByServiceAndByAHostileTag_FilteredByService_RefusedWithoutCe()
    {
        // Two days of usage, priced by the shipped list: KMS keys $1 each, S3 tier-1 requests $0.005 per 1,000, storage $0.023 per GB-month.
        var day = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-10);
        await MeterAsync(day.AddHours(10), UsageTypes.Kms, "KMS-Keys", 2);
        await MeterAsync(day.AddHours(11), UsageTypes.S3, "Requests-Tier1", 1000, Hostile);
        await MeterAsync(day.AddDays(1).AddHours(10), UsageTypes.Kms, "KMS-Keys", 1, "blue");
        await MeterAsync(day.AddDays(1).AddHours(12), UsageTypes.S3, "TimedStorage-ByteHrs", 10, Hostile);
        string Day(int offset) => day.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await using var context = await ContextAsync();
        var page = await SignInAsync(context, "admin");
        await page.GotoAsync($"{_server.Endpoint}/console/costs?start={Day(0)}&end={Day(2)}&granularity=DAILY&group=SERVICE");
        Assert.Equal(["AWS Key Management Service", "Amazon Simple Storage Service"], await page.Locator("#costs tbody th").AllInnerTextsAsync());
        Assert.Equal(["2 USD", "1 USD", "3 USD"], await page.Locator("#costs tbody tr >> nth=0 >> td").AllInnerTextsAsync());
        Assert.Equal(["0.005 USD", "0.23 USD", "0.235 USD"], await page.Locator("#costs tbody tr >> nth=1 >> td").AllInnerTextsAsync());
        Assert.Equal(["2.005 USD", "1.23 USD", "3.235 USD"], await page.Locator("#costs tfoot td").AllInnerTextsAsync());
        Assert.Equal([Day(0), Day(1), "Total"], await page.Locator("#costs thead th:not(:first-child)").AllInnerTextsAsync());

        // The chart: one segment per group and day, each titled with its amount; named, with a legend.
        Assert.Equal(4, await page.Locator("#chart > svg .bars rect").CountAsync());
        Assert.Contains($"AWS Key Management Service, {Day(0)}: 2 USD", await page.Locator("#chart > svg .bars rect title").AllTextContentsAsync());
        Assert.Equal("UnblendedCost by SERVICE, daily", await page.Locator("#chart-title").TextContentAsync());
        Assert.Equal(["AWS Key Management Service", "Amazon Simple Storage Service"], await page.Locator("#legend li").AllInnerTextsAsync());
        await ShotAsync(page, "15-cost-explorer");

        // Grouped by a tag through the form: the markup in a tag value is text, never an element.
        await page.SelectOptionAsync("#group", "TAG");
        await page.FillAsync("#tag", "team");
        await page.ClickAsync("#cost-filters button");
        Assert.Equal(["team$", $"team${Hostile}", "team$blue"], (await page.Locator("#costs tbody th").AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.DoesNotContain("<script>alert", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains($"team${Hostile}, {Day(1)}: 0.23 USD", await page.Locator("#chart > svg .bars rect title").AllTextContentsAsync());
        Assert.Contains($"team${Hostile}", await page.InnerTextAsync("#legend"), StringComparison.Ordinal);
        await ShotAsync(page, "16-cost-explorer-by-tag");

        // Filtered to one service, monthly: the API's Filter, Dimensions = values.
        await page.GotoAsync($"{_server.Endpoint}/console/costs?start={Day(0)}&end={Day(2)}&granularity=MONTHLY&group=USAGE_TYPE&filter=SERVICE&values=AWS+Key+Management+Service");
        Assert.Equal(["KMS-Keys"], await page.Locator("#costs tbody th").AllInnerTextsAsync());
        Assert.Equal("3 USD", await page.Locator("#costs tbody td.num >> nth=-1").InnerTextAsync());

        // Two group-bys and two filters (a dimension and a tag) through the form, combined with And.
        await page.GotoAsync($"{_server.Endpoint}/console/costs?start={Day(0)}&end={Day(2)}&granularity=DAILY");
        await page.SelectOptionAsync("#group", "SERVICE");
        await page.SelectOptionAsync("#group2", "TAG");
        await page.FillAsync("#tag2", "team");
        await page.SelectOptionAsync("#filter", "REGION");
        await page.FillAsync("#values", "us-east-1");
        await page.SelectOptionAsync("#filter2", "TAG");
        await page.FillAsync("#ftag2", "team");
        await page.FillAsync("#values2", $"blue, {Hostile}");
        await page.ClickAsync("#cost-filters button");
        Assert.Equal(["AWS Key Management Service / team$blue", $"Amazon Simple Storage Service / team${Hostile}"], await page.Locator("#costs tbody th").AllInnerTextsAsync());
        Assert.Equal(["—", "1 USD", "1 USD"], await page.Locator("#costs tbody tr >> nth=0 >> td").AllInnerTextsAsync());
        Assert.Equal(["0.005 USD", "0.23 USD", "0.235 USD"], await page.Locator("#costs tbody tr >> nth=1 >> td").AllInnerTextsAsync());
        Assert.Equal("UnblendedCost by SERVICE and tag team, daily", await page.Locator("#chart-title").TextContentAsync());
        Assert.Equal("TAG", await page.InputValueAsync("#group2"));
        Assert.Equal($"blue, {Hostile}", await page.InputValueAsync("#values2"));
        Assert.Equal(0, await page.Locator("script").CountAsync());
        await ShotAsync(page, "15b-cost-explorer-two-groups");

        // A bad date is Cost Explorer's own validation message.
        await page.GotoAsync($"{_server.Endpoint}/console/costs?start=yesterday&end={Day(2)}");
        Assert.Contains("ValidationException", await page.InnerTextAsync(".error"), StringComparison.Ordinal);

        // Someone without ce:GetCostAndUsage: the engine's AccessDenied on the page.
        await using var other = await ContextAsync();
        var refused = await SignInAsync(other, "nobody");
        var answer = await refused.GotoAsync($"{_server.Endpoint}/console/costs");
        Assert.InRange(answer!.Status, 400, 403);
        var error = await refused.InnerTextAsync(".error");
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
        Assert.Contains("ce:GetCostAndUsage", error, StringComparison.Ordinal);
        Assert.Equal(0, await refused.Locator("#chart").CountAsync());
    }

    [Fact]
    public async Task Budgets_CreatedThroughTheForm_ShowSpendAndNotification_DeletedAfterConfirming_PostWithoutTokenRefused()
    {
        // $4 of KMS keys this month: 40% of a $10 budget.
        await MeterAsync(BudgetPeriods.StartOf("MONTHLY", DateTimeOffset.UtcNow), UsageTypes.Kms, "KMS-Keys", 4);
        await using var context = await ContextAsync();
        var page = await SignInAsync(context, "admin");
        await page.ClickAsync("header nav a:has-text('Budgets')");
        Assert.Contains("This account has no budgets.", await page.InnerTextAsync("main"), StringComparison.Ordinal);

        await page.FillAsync("#name", "monthly-cap");
        await page.FillAsync("#amount", "10");
        await page.SelectOptionAsync("#timeUnit", "MONTHLY");
        await page.FillAsync("#threshold", "50");
        await page.FillAsync("#email", "ops@example.com");
        await page.ClickAsync("button:has-text('Create budget')");
        Assert.Contains("Budget monthly-cap created.", await page.InnerTextAsync(".notice"), StringComparison.Ordinal);
        var row = await page.Locator("#budgets tbody tr").AllInnerTextsAsync();
        Assert.Single(row);
        Assert.Contains("10 USD", row[0], StringComparison.Ordinal);
        Assert.Contains("4 USD", row[0], StringComparison.Ordinal);
        Assert.Contains("40%", row[0], StringComparison.Ordinal);
        Assert.Contains("actual > 50% → email ops@example.com", row[0], StringComparison.Ordinal);
        Assert.Equal("40", await page.GetAttributeAsync("#budgets meter", "value"));
        await ShotAsync(page, "17-budgets");

        // A post carrying the session cookie but no antiforgery token is refused, and creates nothing.
        var forged = await context.APIRequest.PostAsync($"{_server.Endpoint}/console/budgets/create", new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("name", "forged").Set("amount", "1").Set("timeUnit", "MONTHLY"),
        });
        Assert.Equal(400, forged.Status);
        Assert.Contains("Form refused", await forged.TextAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        Assert.DoesNotContain("forged", await page.InnerTextAsync("#budgets"), StringComparison.Ordinal);

        // Bad input is Budgets' own message.
        await page.FillAsync("#name", "broken");
        await page.FillAsync("#amount", "-3");
        await page.ClickAsync("button:has-text('Create budget')");
        Assert.Contains("InvalidParameterException", await page.InnerTextAsync(".error"), StringComparison.Ordinal);

        // Delete asks first; Cancel keeps the budget, the confirmation deletes it.
        await page.ClickAsync("#budgets a:has-text('Delete')");
        Assert.Contains("Delete the budget monthly-cap", await page.InnerTextAsync("#confirm"), StringComparison.Ordinal);
        await page.ClickAsync("#confirm a:has-text('Cancel')");
        Assert.Equal(1, await page.Locator("#budgets tbody tr").CountAsync());
        await page.ClickAsync("#budgets a:has-text('Delete')");
        await page.ClickAsync("#confirm button:has-text('Delete budget')");
        Assert.Contains("Budget monthly-cap deleted.", await page.InnerTextAsync(".notice"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#budgets tbody tr").CountAsync());
    }

    [Fact]
    public async Task Alarms_ListedWithTheirState_HistoryShown_ActionsSwitchedAndStateSet()
    {
        async Task CliAsync(params string[] arguments)
        {
            var result = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, [.. arguments, "--region", "us-east-1"]);
            Assert.True(result.ExitCode == 0, result.StandardError);
        }

        await CliAsync("cloudwatch", "put-metric-alarm", "--alarm-name", "bill-over-100", "--namespace", "AWS/Billing", "--metric-name", "EstimatedCharges",
            "--dimensions", "Name=Currency,Value=USD", "--statistic", "Maximum", "--period", "21600", "--evaluation-periods", "1", "--threshold", "100",
            "--comparison-operator", "GreaterThanThreshold");
        await CliAsync("cloudwatch", "put-metric-alarm", "--alarm-name", "orders-low", "--namespace", "Shop", "--metric-name", "Orders",
            "--statistic", "Sum", "--period", "300", "--evaluation-periods", "2", "--threshold", "1", "--comparison-operator", "LessThanThreshold");
        await CliAsync("cloudwatch", "set-alarm-state", "--alarm-name", "bill-over-100", "--state-value", "ALARM", "--state-reason", "testing");

        await using var context = await ContextAsync();
        var page = await SignInAsync(context, "admin");
        await page.ClickAsync("header nav a:has-text('Alarms')");
        var rows = await page.Locator("#alarms tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains("ALARM", rows[0], StringComparison.Ordinal);
        Assert.Contains("AWS/Billing/EstimatedCharges {Currency=USD}", rows[0], StringComparison.Ordinal);
        Assert.Contains("Maximum > 100 for 1 of 1 period(s) of 6 hours", rows[0], StringComparison.Ordinal);
        Assert.Contains("INSUFFICIENT_DATA", rows[1], StringComparison.Ordinal);
        await ShotAsync(page, "18-alarms");

        await page.SelectOptionAsync("#state", "ALARM");
        await page.ClickAsync("#alarm-filters button");
        Assert.Equal(1, await page.Locator("#alarms tbody tr").CountAsync());

        await page.ClickAsync("#alarms a:has-text('bill-over-100')");
        Assert.Contains("testing", await page.InnerTextAsync("#alarm"), StringComparison.Ordinal);
        Assert.Contains("Alarm updated from INSUFFICIENT_DATA to ALARM", await page.InnerTextAsync("#history"), StringComparison.Ordinal);
        await page.ClickAsync("button:has-text('Disable actions')");
        Assert.Equal("Actions disabled.", await page.InnerTextAsync(".notice"));
        await page.SelectOptionAsync("#new-state", "OK");
        await page.ClickAsync("button:has-text('Set state')");
        Assert.Equal("State set to OK.", await page.InnerTextAsync(".notice"));
        Assert.Contains("OK", await page.InnerTextAsync("#alarm .state"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("button:has-text('Enable actions')"));
        await ShotAsync(page, "19-alarm");

        // Someone without cloudwatch:DescribeAlarms gets CloudWatch's refusal.
        await using var other = await ContextAsync();
        var refused = await SignInAsync(other, "nobody");
        await refused.GotoAsync($"{_server.Endpoint}/console/alarms");
        Assert.Contains("cloudwatch:DescribeAlarms", await refused.InnerTextAsync(".error"), StringComparison.Ordinal);
    }

    private Task<IBrowserContext> ContextAsync() =>
        _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

    private async Task<IPage> SignInAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_server.Endpoint}/console/signin?account={_server.AccountId}");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
        return page;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
}
