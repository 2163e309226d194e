using Amazon.Runtime;
using Amazon.S3;
using Cloudkeep.Client;
using Cloudkeep.Testing;
using Microsoft.Playwright;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// The console's upload in a real browser (Debian's chromium, scripts on: the one page that has a
/// script): a 20 MiB file goes up as a multipart upload of three parts with a progress bar, and the
/// object read back through the SDK is byte-identical with a multipart ETag; with scripts off the
/// same form sends one PutObject.
/// </summary>
public sealed class ConsoleUploadTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "Uploader-Console-2026";
    private const string Bucket = "console-uploads";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private TestServer _server = null!;
    private HttpClient _http = null!;
    private AmazonS3Client _s3 = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _http = new HttpClient();
        var iam = new IamClient(_http, new Uri(_server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await iam.CallAsync("CreateUser", [new("UserName", "uploader")], CancellationToken.None);
        await iam.CallAsync("CreateLoginProfile", [new("UserName", "uploader"), new("Password", Password), new("PasswordResetRequired", "false")], CancellationToken.None);
        await iam.CallAsync("PutUserPolicy", [new("UserName", "uploader"), new("PolicyName", "s3"), new("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")], CancellationToken.None);
        _s3 = new AmazonS3Client(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config { ServiceURL = _server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await _s3.PutBucketAsync(Bucket);
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(true, 20 * 1024 * 1024 + 17, "-3\"")]
    [InlineData(false, 64 * 1024, null)]
    public async Task Upload_LargeFileInPartsWithProgress_SmallOrScriptsOffAsOnePut(bool scripts, int size, string? etagSuffix)
    {
        Assert.True(File.Exists(Chromium), "chromium is not installed (test.sh installs it)");
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var name = $"upload-{size}.bin";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = scripts, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_server.Endpoint}/console/signin?account={_server.AccountId}");
        await page.FillAsync("#username", "uploader");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.GotoAsync($"{_server.Endpoint}/console/s3/bucket?name={Bucket}&prefix=incoming/");

        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = bytes });
        await page.ClickAsync("#upload button:has-text('Upload')");
        // With scripts the page moves to the bucket's listing once the upload completes; without, the form's answer lists it.
        await page.WaitForSelectorAsync($"#objects >> text={name}", new PageWaitForSelectorOptions { Timeout = 60_000 });
        if (scripts)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "13-upload-multipart.png"), FullPage = true });
        }

        using var got = await _s3.GetObjectAsync(Bucket, "incoming/" + name);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        if (etagSuffix is null)
        {
            Assert.DoesNotContain("-", got.ETag, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith(etagSuffix, got.ETag, StringComparison.Ordinal);
        }

        // Nothing left half-done: no open multipart upload.
        Assert.Empty((await _s3.ListMultipartUploadsAsync(Bucket)).MultipartUploads ?? []);
    }
}
