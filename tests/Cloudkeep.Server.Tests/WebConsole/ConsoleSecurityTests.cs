using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Cloudkeep.Testing;
using Microsoft.Extensions.Logging;
using OtpNet;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>
/// The console's security properties over plain HTTP requests (no scripts, as a browser with scripts
/// off): antiforgery, cookie flags, sealed sessions across nodes, sign-out, throttling, and no secret
/// in any page, log line or URL after it was shown once.
/// </summary>
public sealed class ConsoleSecurityTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string SelfService = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}""";

    private readonly ConcurrentQueue<string> _log = new();
    private readonly ShiftableClock _clock = new();
    private readonly TempDirectory _data = new();
    private readonly string _masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(dataDirectory: _data.Path, masterKey: _masterKey, time: _clock,
            logging: builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(_log)));
        await ConsoleClient.CreateUserAsync(_server, "alice", Password, inlinePolicy: SelfService);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SignIn_RightPassword_SetsAnHttpOnlyStrictSessionCookieOfTwelveHoursAtMost()
    {
        using var browser = new ConsoleClient(_server.Endpoint);

        var (status, _, response) = await browser.SignInAsync(_server.AccountId, "alice", Password);

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal("/console/", response.Headers.Location!.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ck-console-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/console", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);
        var expires = browser.Cookies.GetCookies(new Uri(_server.Endpoint + "/console/"))["ck-console-session"]!.Expires.ToUniversalTime();
        Assert.InRange(expires, DateTime.UtcNow, _clock.GetUtcNow().UtcDateTime.AddHours(12).AddMinutes(1));
    }

    [Fact]
    public async Task SignIn_OverTls_MarksTheCookiesSecure()
    {
        await using var tls = await TestServer.StartAsync(tls: true);
        await ConsoleClient.CreateUserAsync(tls, "alice", Password);
        using var browser = new ConsoleClient(tls.Endpoint);

        var (_, _, response) = await browser.SignInAsync(tls.AccountId, "alice", Password);

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("ck-console-session=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("secure", c.ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownUser_GivesOneGenericMessage()
    {
        using var browser = new ConsoleClient(_server.Endpoint);

        var wrong = await browser.SignInAsync(_server.AccountId, "alice", "not-the-password");
        var unknown = await browser.SignInAsync(_server.AccountId, "nobody", Password);
        var account = await browser.SignInAsync("999988887777", "alice", Password);

        foreach (var (status, body, _) in new[] { wrong, unknown, account })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("Your authentication information is incorrect. Please try again.", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.GetAsync("/console/signin");

        var signIn = await browser.PostAsync("/console/signin", new Dictionary<string, string> { ["account"] = _server.AccountId, ["username"] = "alice", ["password"] = Password }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, signIn.Status);
        Assert.Contains("antiforgery token", signIn.Body, StringComparison.Ordinal);
        Assert.Null(browser.Cookies.GetCookies(new Uri(_server.Endpoint + "/console/"))["ck-console-session"]);

        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "alice", Password));
        var forged = await browser.PostAsync("/console/security/keys/create", new Dictionary<string, string>(), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        var page = await browser.GetAsync("/console/security");
        Assert.Contains("No access keys.", page.Body, StringComparison.Ordinal);

        // A token from another browser (another nonce cookie) does not pass either.
        using var other = new ConsoleClient(_server.Endpoint);
        await other.GetAsync("/console/signin");
        var stolen = other.LastToken!;
        var crossed = await browser.PostAsync("/console/security/keys/create", new Dictionary<string, string> { ["__RequestVerificationToken"] = stolen }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, crossed.Status);
    }

    [Fact]
    public async Task Pages_CarryAStrictContentSecurityPolicy()
    {
        using var browser = new ConsoleClient(_server.Endpoint);

        var (_, _, response) = await browser.GetAsync("/console/signin");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task SessionCookie_FromAnotherNode_VerifiesAndATamperedOneDoesNot()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "alice", Password));
        var sealedSession = browser.Cookies.GetCookies(new Uri(_server.Endpoint + "/console/"))["ck-console-session"]!.Value;
        await using var second = await TestServer.StartAsync(dataDirectory: _data.Path, masterKey: _masterKey, time: _clock);

        using var atSecond = new ConsoleClient(second.Endpoint);
        atSecond.Cookies.Add(new Uri(second.Endpoint + "/console/"), new Cookie("ck-console-session", sealedSession, "/console"));
        var page = await atSecond.GetAsync("/console/security");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"arn:aws:iam::{_server.AccountId}:user/alice", page.Body, StringComparison.Ordinal);

        // The cookie carries the sealed session base64-encoded, then URL-encoded.
        var bytes = Convert.FromBase64String(Uri.UnescapeDataString(sealedSession));
        bytes[bytes.Length / 2] ^= 0x01;
        using var tampered = new ConsoleClient(second.Endpoint);
        tampered.Cookies.Add(new Uri(second.Endpoint + "/console/"), new Cookie("ck-console-session", Uri.EscapeDataString(Convert.ToBase64String(bytes)), "/console"));
        var refused = await tampered.GetAsync("/console/security");
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Equal("/console/signin", refused.Response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SignOut_EndsTheSessionEvenForACopyOfTheCookie()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.FollowAsync(await browser.SignInAsync(_server.AccountId, "alice", Password));
        var sealedSession = browser.Cookies.GetCookies(new Uri(_server.Endpoint + "/console/"))["ck-console-session"]!.Value;

        var signedOut = await browser.PostAsync("/console/signout", new Dictionary<string, string>());

        Assert.Contains("You have signed out.", signedOut.Body, StringComparison.Ordinal);
        using var copy = new ConsoleClient(_server.Endpoint);
        copy.Cookies.Add(new Uri(_server.Endpoint + "/console/"), new Cookie("ck-console-session", sealedSession, "/console"));
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/console/security")).Status);
    }

    [Fact]
    public async Task SignIn_TwoHundredWrongPasswords_AreThrottledAndTheRightOneWorksAfterwards()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        await browser.GetAsync("/console/signin");
        var judged = 0;
        var throttled = 0;
        for (var i = 0; i < 200; i++)
        {
            var (status, body, _) = await browser.PostAsync("/console/signin", new Dictionary<string, string> { ["account"] = _server.AccountId, ["username"] = "alice", ["password"] = $"wrong-{i}" });
            if (status == HttpStatusCode.Unauthorized)
            {
                judged++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, status);
                Assert.Contains("Too many failed sign-in attempts", body, StringComparison.Ordinal);
                throttled++;
            }
        }

        // Four free failures, then waits of 1, 2, 4, ... seconds: only a handful of guesses are judged.
        Assert.InRange(judged, 5, 16);
        Assert.Equal(200 - judged, throttled);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(_server.AccountId, "alice", Password)).Status);

        // The wait is bounded: once it has passed, the real user signs in.
        _clock.Offset += TimeSpan.FromMinutes(16);
        var (ok, _, response) = await browser.SignInAsync(_server.AccountId, "alice", Password);
        Assert.Equal(HttpStatusCode.Redirect, ok);
        Assert.Equal("/console/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Secrets_AfterShownOnce_AppearInNoPageLogLineOrUrl()
    {
        using var browser = new ConsoleClient(_server.Endpoint);
        var pages = new List<string>();
        async Task<string> Page((HttpStatusCode Status, string Body, HttpResponseMessage Response) answer)
        {
            var followed = await browser.FollowAsync(answer);
            pages.Add(followed.Body);
            return followed.Body;
        }

        await Page(await browser.SignInAsync(_server.AccountId, "alice", Password));
        const string NewPassword = "Battery-Staple-77";
        await Page(await browser.PostAsync("/console/security/password", new Dictionary<string, string> { ["oldPassword"] = Password, ["newPassword"] = NewPassword, ["confirmPassword"] = NewPassword }));
        var created = await browser.PostAsync("/console/security/keys/create", new Dictionary<string, string>());
        var secret = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(created.Body, "id=\"secret-access-key\">([^<]+)<").Groups[1].Value);
        Assert.Equal(40, secret.Length);
        var enrol = await browser.PostAsync("/console/security/mfa/create", new Dictionary<string, string>());
        var seed = System.Text.RegularExpressions.Regex.Match(enrol.Body, "id=\"mfa-secret\">([^<]+)<").Groups[1].Value;
        Assert.Equal(32, seed.Length);
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var now = _clock.GetUtcNow().UtcDateTime;
        var enabled = await browser.PostAsync("/console/security/mfa/enable", new Dictionary<string, string>
        {
            ["serial"] = $"arn:aws:iam::{_server.AccountId}:mfa/alice",
            ["code1"] = totp.ComputeTotp(now),
            ["code2"] = totp.ComputeTotp(now.AddSeconds(30)),
        });
        Assert.Contains("MFA device assigned", enabled.Body, StringComparison.Ordinal);
        pages.Add(enabled.Body);
        await Page(await browser.GetAsync("/console/security"));
        await Page(await browser.GetAsync("/console/"));
        await Page(await browser.PostAsync("/console/signout", new Dictionary<string, string>()));
        _clock.Offset += TimeSpan.FromSeconds(61);
        await Page(await browser.SignInAsync(_server.AccountId, "alice", NewPassword));
        await Page(await browser.PostAsync("/console/signin/mfa", new Dictionary<string, string> { ["code"] = totp.ComputeTotp(_clock.GetUtcNow().UtcDateTime) }));
        Assert.Contains("My security credentials", pages[^1], StringComparison.Ordinal);

        var cookies = string.Join(";", browser.Cookies.GetAllCookies().Select(c => c.Value));
        foreach (var value in new[] { Password, NewPassword, secret, seed })
        {
            Assert.All(pages, p => Assert.DoesNotContain(value, p, StringComparison.Ordinal));
            Assert.All(pages, p => Assert.DoesNotContain(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(value), p, StringComparison.Ordinal));
            Assert.All(_log, line => Assert.DoesNotContain(value, line, StringComparison.Ordinal));
            Assert.All(browser.Urls, url => Assert.DoesNotContain(Uri.EscapeDataString(value), url, StringComparison.Ordinal));
            Assert.DoesNotContain(value, cookies, StringComparison.Ordinal);
        }
    }
}
