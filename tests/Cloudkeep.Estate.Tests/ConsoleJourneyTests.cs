using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;
using Microsoft.Playwright;
using OtpNet;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// The seed's console journey on the example estate, in a real browser (Debian's chromium driven by
/// Playwright, scripts off, over https): a new person signs in with the first password apply wrote,
/// must change it, can do nothing but enrol MFA, enrols by reading the secret, signs in again with a
/// code, creates an access key the AWS CLI can use, switches into development's infrastructure role
/// through the switch-role URL, lists a bucket there and goes back; from an address outside the
/// office range (a trusted proxy's X-Forwarded-For) the same person is refused at the switch. Then the
/// backups account's locked root: "Forgot password", the e-mailed link, a new password, root signed in.
/// Screenshots of the pages land in console-screenshots/ beside the test assembly.
/// </summary>
public sealed class ConsoleJourneyTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string NewPassword = "Journey-Console-2026";
    private const string RootPassword = "Backups-Root-Reset-2026";
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private EstateHarness _harness = null!;
    private string _secrets = "";

    public async Task InitializeAsync()
    {
        // https for the estate's TLS-only buckets, plain http beside it for the AWS CLI; loopback is
        // the trusted proxy whose X-Forwarded-For stands for a browser outside the office.
        _server = await TestServer.StartAsync(time: _clock, tls: true, plainHttpToo: true, trustedProxies: [IPNetwork.Parse("127.0.0.1/32")]);
        _harness = new EstateHarness(_server);
        await _harness.UseAdministratorAsync();
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            _harness.Write(Path.Combine("policies", Path.GetFileName(policy)), File.ReadAllText(policy));
        }

        var file = _harness.Write("estate.yaml", File.ReadAllText(Path.Combine(Example, "estate.yaml")));
        var apply = await _harness.ApplyAsync(file, options: args => args with { Variables = new Dictionary<string, string> { ["officeIps"] = "[127.0.0.1/32]" } });
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        _secrets = File.ReadAllText(file + ".secrets.yaml");
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Journey_NewPersonOnTheExampleEstate_SignsInEnrolsMfaCreatesAKeyAndSwitchesRole()
    {
        Assert.True(File.Exists(Chromium), "chromium is not installed (test.sh installs it)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var contextOptions = new BrowserNewContextOptions { IgnoreHTTPSErrors = true, JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1200, Height = 800 }, AcceptDownloads = true };
        await using var context = await browser.NewContextAsync(contextOptions);
        var page = await context.NewPageAsync();
        var endpoint = _server.Endpoint;
        var initial = Secret("alice", "initialPassword");

        // Sign in with the first password, through the account alias in the sign-in URL.
        await page.GotoAsync($"{endpoint}/console/signin?account=digitalmarketplace");
        Assert.Equal("digitalmarketplace", await page.InputValueAsync("#account"));
        await page.FillAsync("#username", "alice");
        await page.FillAsync("#password", initial);
        await ShotAsync(page, "01-signin");
        await page.ClickAsync("button:has-text('Sign in')");

        // The first sign-in must change the password; a short one shows the rule it breaks.
        Assert.EndsWith("/console/password", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#oldPassword", initial);
        await page.FillAsync("#newPassword", "Short1");
        await page.FillAsync("#confirmPassword", "Short1");
        await page.ClickAsync("button:has-text('Change password')");
        Assert.Contains("Password should have at least 12 characters", await page.InnerTextAsync(".broken"), StringComparison.Ordinal);
        await ShotAsync(page, "02-change-password-rule");
        await page.FillAsync("#oldPassword", initial);
        await page.FillAsync("#newPassword", NewPassword);
        await page.FillAsync("#confirmPassword", NewPassword);
        await page.ClickAsync("button:has-text('Change password')");
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);

        // Without MFA nothing but enrolment: the access keys are refused with the engine's message.
        await page.GotoAsync($"{endpoint}/console/security");
        var keys = await page.InnerTextAsync("#keys");
        Assert.Contains("AccessDenied", keys, StringComparison.Ordinal);
        Assert.Contains("iam:ListAccessKeys", keys, StringComparison.Ordinal);
        await page.ClickAsync("button:has-text('Assign MFA device')");
        await ShotAsync(page, "03-assign-mfa");
        Assert.True(await page.IsVisibleAsync("img.qr"));
        await page.ClickAsync("summary:has-text('Show secret key')");
        var seed = (await page.InnerTextAsync("#mfa-secret")).Trim();
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var now = _clock.GetUtcNow().UtcDateTime;
        await page.FillAsync("#code1", totp.ComputeTotp(now));
        await page.FillAsync("#code2", totp.ComputeTotp(now.AddSeconds(30)));
        await page.ClickAsync("button:has-text('Add MFA')");
        Assert.Contains("MFA device assigned", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.DoesNotContain(seed, await page.ContentAsync(), StringComparison.Ordinal);

        // Sign out and in again, with a code.
        await SignOutAsync(page);
        await SignInWithCodeAsync(page, totp);
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);

        // With MFA: create an access key, shown once with its .csv, and it works with the AWS CLI.
        await page.GotoAsync($"{endpoint}/console/security");
        await page.ClickAsync("button:has-text('Create access key')");
        var keyId = (await page.InnerTextAsync("#access-key-id")).Trim();
        var secret = (await page.InnerTextAsync("#secret-access-key")).Trim();
        await ShotAsync(page, "04-access-key-created");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-csv"));
        var csvPath = Path.Combine(Screenshots, "alice_accessKeys.csv");
        await download.SaveAsAsync(csvPath);
        Assert.Equal($"Access key ID,Secret access key\r\n{keyId},{secret}\r\n", await File.ReadAllTextAsync(csvPath));
        File.Delete(csvPath);
        var identity = await AwsCli.RunAsync(_server.HttpEndpoint!, keyId, secret, "sts", "get-caller-identity");
        Assert.True(identity.ExitCode == 0, identity.StandardError);
        Assert.EndsWith(":user/alice", JsonDocument.Parse(identity.StandardOutput).RootElement.GetProperty("Arn").GetString(), StringComparison.Ordinal);
        await page.GotoAsync($"{endpoint}/console/security");
        Assert.Contains(keyId, await page.InnerTextAsync("#keys"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "05-security-credentials");

        // Switch into development's infrastructure role through the switch-role URL, and confirm.
        var development = await AccountIdAsync("development");
        await page.GotoAsync($"{endpoint}/console/switchrole?account={development}&roleName=infrastructure&displayName=dev-infra");
        Assert.Equal(development, await page.InputValueAsync("#account"));
        await ShotAsync(page, "06-switch-role");
        await page.ClickAsync("button:has-text('Switch Role')");
        Assert.Equal($"dev-infra @ {development}", (await page.InnerTextAsync("#role-badge")).Trim());

        // List a bucket there, as the role.
        await page.GotoAsync($"{endpoint}/console/s3");
        await page.ClickAsync("a:has-text('digitalmarketplace-dev-uploads')");
        Assert.Contains("digitalmarketplace-dev-uploads", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#objects"));
        await ShotAsync(page, "07-bucket-as-role");

        // The menu keeps the role; "Back to alice" returns.
        await page.ClickAsync("#identity-menu");
        Assert.Contains($"dev-infra @ {development}", await page.InnerTextAsync(".menu-body"), StringComparison.Ordinal);
        await ShotAsync(page, "08-menu");
        await page.ClickAsync("button:has-text('Back to alice')");
        Assert.False(await page.IsVisibleAsync("#role-badge"));

        // The same person from outside the office range: refused at the switch with the engine's message.
        _clock.Offset += TimeSpan.FromSeconds(31);
        var outsideOptions = new BrowserNewContextOptions(contextOptions) { ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = "192.0.2.99" } };
        await using var outside = await browser.NewContextAsync(outsideOptions);
        var away = await outside.NewPageAsync();
        await SignInWithCodeAsync(away, totp);
        await away.GotoAsync($"{endpoint}/console/switchrole?account={development}&roleName=infrastructure&displayName=dev-infra");
        await away.ClickAsync("button:has-text('Switch Role')");
        var refusal = await away.InnerTextAsync(".error");
        Assert.Contains("AccessDenied", refusal, StringComparison.Ordinal);
        Assert.Contains("sts:AssumeRole", refusal, StringComparison.Ordinal);
        Assert.Contains("explicit deny", refusal, StringComparison.Ordinal);
        Assert.False(await away.IsVisibleAsync("#role-badge"));
        await ShotAsync(away, "09-switch-refused-outside-office");

        // The seed's root story: the backups account's root is locked; "Forgot password" mails a one-time
        // link (an .eml file in the outbox here, as no --smtp is set) after the alert; root sets a password and signs in.
        await using var rootContext = await browser.NewContextAsync(contextOptions);
        var root = await rootContext.NewPageAsync();
        await root.GotoAsync($"{endpoint}/console/signin");
        await root.ClickAsync("a.root-signin");
        await root.ClickAsync("a.forgot-password");
        await root.FillAsync("#email", "aws-backups@digitalmarketplace.example");
        await root.ClickAsync("button:has-text('Send reset link')");
        Assert.Contains("security contacts are alerted first", await root.InnerTextAsync(".notice"), StringComparison.Ordinal);
        await root.GotoAsync(await ResetLinkAsync());
        await root.FillAsync("#newPassword", "short");
        await root.FillAsync("#confirmPassword", "short");
        await root.ClickAsync("button:has-text('Set password')");
        Assert.Contains("at least 8 characters", await root.InnerTextAsync(".broken"), StringComparison.Ordinal);
        await root.FillAsync("#newPassword", RootPassword);
        await root.FillAsync("#confirmPassword", RootPassword);
        await ShotAsync(root, "10-root-password-reset");
        await root.ClickAsync("button:has-text('Set password')");
        await root.FillAsync("#email", "aws-backups@digitalmarketplace.example");
        await root.FillAsync("#password", RootPassword);
        await root.ClickAsync("button:has-text('Sign in')");
        Assert.Contains($"arn:aws:iam::{await AccountIdAsync("backups")}:root", await root.InnerTextAsync("main"), StringComparison.Ordinal);
        await ShotAsync(root, "11-root-signed-in");
    }

    /// <summary>The link in the root password reset e-mail the server wrote to its outbox.</summary>
    private async Task<string> ResetLinkAsync()
    {
        var outbox = Path.Combine(_server.DataDirectory, "outbox");
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(outbox) && Directory.GetFiles(outbox, "root-reset-*.eml").FirstOrDefault() is { } mail)
            {
                return Regex.Match(await File.ReadAllTextAsync(mail), @"https://\S+/console/signin/root/reset\?\S+").Value;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("no root password reset e-mail was written to the outbox");
    }

    private async Task SignInWithCodeAsync(IPage page, Totp totp)
    {
        await page.GotoAsync($"{_server.Endpoint}/console/signin?account=digitalmarketplace");
        await page.FillAsync("#username", "alice");
        await page.FillAsync("#password", NewPassword);
        await page.ClickAsync("button:has-text('Sign in')");

        // A step the device has not used yet (enrolment used two).
        _clock.Offset += TimeSpan.FromSeconds(61);
        await page.FillAsync("#code", totp.ComputeTotp(_clock.GetUtcNow().UtcDateTime));
        await ShotAsync(page, "mfa-code");
        await page.ClickAsync("button:has-text('Submit')");
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.ClickAsync("#identity-menu");
        await page.ClickAsync("button:has-text('Sign out')");
        Assert.Contains("You have signed out.", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    private async Task<string> AccountIdAsync(string name)
    {
        using var http = _harness.Http();
        var organizations = new Client.OrganizationsClient(http, new Uri(_server.Endpoint), _harness.Credentials, TimeProvider.System);
        var listed = await organizations.CallAsync("ListAccounts", new System.Text.Json.Nodes.JsonObject(), CancellationToken.None);
        return listed["Accounts"]!.AsArray().Single(a => a!["Name"]!.GetValue<string>() == name)!["Id"]!.GetValue<string>();
    }

    private string Secret(string user, string what)
    {
        var match = Regex.Match(_secrets, $"user: {user},[^\n]* {what}: '((?:[^']|'')*)'");
        Assert.True(match.Success, $"no {what} for {user} in the secrets file");
        return match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
    }

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
