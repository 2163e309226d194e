using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>
/// A browser without scripts for the console: keeps cookies, follows no redirects by itself, reads
/// each page's antiforgery token and posts forms with it, and remembers every URL it asked for.
/// </summary>
internal sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(string endpoint, string? forwardedFor = null)
    {
        Cookies = new CookieContainer();
        var handler = new HttpClientHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(endpoint.TrimEnd('/') + "/") };
        if (forwardedFor is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public CookieContainer Cookies { get; }

    public List<string> Urls { get; } = [];

    public string? LastToken { get; private set; }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        Urls.Add(path);
        var response = await _http.GetAsync(path.TrimStart('/'));
        return await ReadAsync(response);
    }

    /// <summary>Posts a form, with the last page's antiforgery token unless <paramref name="withToken"/> is false.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(string path, IDictionary<string, string> fields, bool withToken = true)
    {
        Urls.Add(path);
        var all = new Dictionary<string, string>(fields);
        if (withToken && LastToken is not null)
        {
            all["__RequestVerificationToken"] = LastToken;
        }

        using var content = new FormUrlEncodedContent(all);
        var response = await _http.PostAsync(path.TrimStart('/'), content);
        return await ReadAsync(response);
    }

    /// <summary>Posts a multipart form with one file, as a browser's upload form does.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostFileAsync(string path, IDictionary<string, string> fields, string fileName, byte[] bytes)
    {
        Urls.Add(path);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new StringContent(LastToken ?? ""), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        content.Add(file, "file", fileName);
        var response = await _http.PostAsync(path.TrimStart('/'), content);
        return await ReadAsync(response);
    }

    /// <summary>Follows a redirect answer (a GET of its Location), as a browser would.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> FollowAsync((HttpStatusCode Status, string Body, HttpResponseMessage Response) answer)
    {
        while (answer.Status is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found)
        {
            answer = await GetAsync(answer.Response.Headers.Location!.ToString());
        }

        return answer;
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SignInAsync(string account, string user, string password)
    {
        await GetAsync("/console/signin");
        return await PostAsync("/console/signin", new Dictionary<string, string> { ["account"] = account, ["username"] = user, ["password"] = password });
    }

    private async Task<(HttpStatusCode, string, HttpResponseMessage)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (TokenPattern().Match(body) is { Success: true } match)
        {
            LastToken = WebUtility.HtmlDecode(match.Groups[1].Value);
        }

        if (response.Headers.Location is { } location)
        {
            Urls.Add(location.ToString());
        }

        return (response.StatusCode, body, response);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A console user allowed everything (an inline "*" on "*"), created and signed in: the pages' own subject is then the page.</summary>
    public static async Task<ConsoleClient> SignedInAdministratorAsync(TestServer server, string user = "admin", string password = "Correct-Horse-42")
    {
        ArgumentNullException.ThrowIfNull(server);
        await CreateUserAsync(server, user, password, inlinePolicy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        var client = new ConsoleClient(server.Endpoint);
        await client.FollowAsync(await client.SignInAsync(server.AccountId, user, password));
        return client;
    }

    /// <summary>Creates an IAM user with a console password (and optionally a policy) as root.</summary>
    public static async Task CreateUserAsync(TestServer server, string user, string password, bool resetRequired = false, string? inlinePolicy = null)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        var iam = new IamClient(http, new Uri(server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await iam.CallAsync("CreateUser", [new("UserName", user)], CancellationToken.None);
        await iam.CallAsync("CreateLoginProfile", [new("UserName", user), new("Password", password), new("PasswordResetRequired", resetRequired ? "true" : "false")], CancellationToken.None);
        if (inlinePolicy is not null)
        {
            await iam.CallAsync("PutUserPolicy", [new("UserName", user), new("PolicyName", "console"), new("PolicyDocument", inlinePolicy)], CancellationToken.None);
        }
    }
}
