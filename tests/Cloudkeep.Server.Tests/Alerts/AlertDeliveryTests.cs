using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>
/// Alerts from a server's engine to a real SMTP server (SmtpServer, started here) and a real HTTP
/// listener; the .eml outbox without SMTP; an alert surviving a restart between the event and its
/// delivery; retries with back-off and the dead-letter list.
/// </summary>
public sealed class AlertDeliveryTests
{
    private const string RootSignIn = """
        {"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},
         "eventTime":"2026-12-07T03:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5",
         "userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},
         "eventID":"3f1c5e2a-0000-4000-8000-000000000001","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}
        """;

    private static JsonElement Event(string json = RootSignIn) => JsonDocument.Parse(json).RootElement;

    private static AlertOptions Fast(AlertOptions options) => options with { DeliveryInterval = TimeSpan.FromMilliseconds(200), FirstRetry = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Alert_Raised_ArrivesBySmtpAndBySignedWebhook()
    {
        await using var smtp = await SmtpCapture.StartAsync();
        using var webhook = WebhookCapture.Start(HttpStatusCode.NoContent);
        await using var server = await TestServer.StartAsync(alerts: Fast(new AlertOptions
        {
            Smtp = $"127.0.0.1:{smtp.Port}",
            From = "cloudkeep@digitalmarketplace.example",
            To = ["cyber-security-help@digitalmarketplace.example"],
            Webhooks = [webhook.Url],
            WebhookSecret = "webhook-secret",
        }));

        var raised = await server.Server.Alerts.OnEventAsync(Event(), CancellationToken.None);

        Assert.Equal("root-sign-in", Assert.Single(raised)["rule"]!.GetValue<string>());
        var mail = await smtp.NextAsync();
        Assert.Equal("[Cloudkeep High] Root user signed in in account 111122223333", mail.Subject);
        Assert.Equal("cyber-security-help@digitalmarketplace.example", mail.To.Mailboxes.Single().Address);
        Assert.Contains("signin.amazonaws.com ConsoleLogin", mail.TextBody, StringComparison.Ordinal);
        var (headers, body) = await webhook.NextAsync();
        Assert.Equal(WebhookAlertSink.Signature("webhook-secret", body), headers[WebhookAlertSink.SignatureHeader]);
        var posted = JsonNode.Parse(body)!;
        Assert.Equal(("root-sign-in", "High", "ConsoleLogin"), (posted["rule"]!.GetValue<string>(), posted["severity"]!.GetValue<string>(), posted["event"]!["eventName"]!.GetValue<string>()));
        Assert.Equal(raised[0]["alertId"]!.GetValue<string>(), headers["X-Cloudkeep-Alert-Id"]);
    }

    [Fact]
    public async Task Alert_NoSmtp_WrittenAsEmlToTheOutboxDirectory()
    {
        await using var server = await TestServer.StartAsync(alerts: Fast(new AlertOptions { To = ["security@example.org"] }));

        await server.Server.Alerts.OnEventAsync(Event(), CancellationToken.None);

        var outbox = AlertSinks.OutboxDirectory(server.DataDirectory);
        var file = await PollAsync(() => Directory.Exists(outbox) ? Directory.GetFiles(outbox, "alert-*.eml").SingleOrDefault() : null);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("[Cloudkeep High] Root user signed in in account 111122223333", message.Subject);
        Assert.Equal("security@example.org", message.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task Alert_ServerStopsBeforeDelivery_NextStartDeliversIt()
    {
        using var data = new TempDirectory();
        int unreachable;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            unreachable = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        // The first server's mail server is down: the alert waits in the outbox when it stops.
        await using (var first = await TestServer.StartAsync(dataDirectory: data.Path, alerts: Fast(new AlertOptions { Smtp = $"127.0.0.1:{unreachable}", To = ["security@example.org"] })))
        {
            await first.Server.Alerts.OnEventAsync(Event(), CancellationToken.None);
            await Task.Delay(300);
        }

        await using var smtp = await SmtpCapture.StartAsync();
        await using var second = await TestServer.StartAsync(dataDirectory: data.Path, alerts: Fast(new AlertOptions { Smtp = $"127.0.0.1:{smtp.Port}", To = ["security@example.org"] }));
        var mail = await smtp.NextAsync();
        Assert.Contains("Root user signed in", mail.Subject, StringComparison.Ordinal);
        await using var store = MetadataStoreFactory.Create(null, data.Path);
        var delivered = await PollAsync(async () => (await new AlertOutboxRepository(store).ListAsync(AlertOutboxRow.Delivered, 10, CancellationToken.None)).SingleOrDefault());
        Assert.True(delivered.Attempts >= 2, $"attempts {delivered.Attempts}");
    }

    private sealed class FailingSink(string name) : IAlertSink
    {
        public int Calls { get; private set; }

        public string Name => name;

        public Task DeliverAsync(JsonObject alert, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException("webhook answered HTTP 500");
        }
    }

    [Fact]
    public async Task Delivery_FailingSink_BacksOffThenDeadLetters()
    {
        using var directory = new TempDirectory();
        await using var store = MetadataStoreFactory.Create(null, directory.Path);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
        await store.MigrateAsync(time, CancellationToken.None);
        var outbox = new AlertOutboxRepository(store);
        var sink = new FailingSink("webhook:http://127.0.0.1:9/hook");
        var engine = new AlertEngine(BuiltInAlertRules.All, new NoFacts(), outbox, [sink.Name, "webhook:http://gone.example/"], time);
        var delivery = new AlertDelivery(outbox, [sink], time) { MaxAttempts = 3, FirstRetry = TimeSpan.FromSeconds(10) };

        await engine.OnEventAsync(Event(), CancellationToken.None);

        // A sink this server no longer has: dead at once. The failing one: retried after 10 s, then 20 s, then dead.
        Assert.Equal(new AlertDeliveryResult(0, 1, 1), await delivery.DeliverDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(default, await delivery.DeliverDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new AlertDeliveryResult(0, 1, 0), await delivery.DeliverDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(default, await delivery.DeliverDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new AlertDeliveryResult(0, 0, 1), await delivery.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(3, sink.Calls);
        var dead = await outbox.ListAsync(AlertOutboxRow.Dead, 10, CancellationToken.None);
        Assert.Equal(2, dead.Count);
        Assert.Contains(dead, d => d.LastError == "webhook answered HTTP 500" && d.Attempts == 3);
        Assert.Contains(dead, d => d.LastError == "sink webhook:http://gone.example/ is not configured on this server");
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(12, 3600)]
    public void Backoff_DoublesUpToAnHour(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), AlertDelivery.Backoff(attempts, TimeSpan.FromSeconds(5)));

    [Fact]
    public void Signature_IsHexHmacSha256OfTheBody() =>
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            WebhookAlertSink.Signature("key", Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog")));

    [Fact]
    public async Task Webhook_Non2xx_IsAFailure()
    {
        using var webhook = WebhookCapture.Start(HttpStatusCode.InternalServerError);
        using var http = new HttpClient();
        var sink = new WebhookAlertSink(new Uri(webhook.Url), null, http);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => sink.DeliverAsync(new JsonObject { ["alertId"] = "a1" }, CancellationToken.None));
        Assert.Contains("HTTP 500", e.Message, StringComparison.Ordinal);
        var (headers, _) = await webhook.NextAsync();
        Assert.Null(headers[WebhookAlertSink.SignatureHeader]);
    }

    private sealed class NoFacts : IAlertFacts
    {
        public ValueTask<bool> UserHasMfaAsync(string accountId, string userName, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<string?> ManagedPolicyDocumentAsync(string policyArn, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (await probe() is { } found)
            {
                return found;
            }
        }

        throw new TimeoutException("not there after 20 seconds");
    }

    private static Task<T> PollAsync<T>(Func<T?> probe) => PollAsync(() => Task.FromResult(probe()));

    /// <summary>A real HTTP listener answering every POST with one status, keeping the requests.</summary>
    private sealed class WebhookCapture : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Channel<(System.Collections.Specialized.NameValueCollection, byte[])> _requests = Channel.CreateUnbounded<(System.Collections.Specialized.NameValueCollection, byte[])>();

        private WebhookCapture(string url) => Url = url;

        public string Url { get; }

        public static WebhookCapture Start(HttpStatusCode status)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var capture = new WebhookCapture($"http://127.0.0.1:{port}/hook/");
            capture._listener.Prefixes.Add(capture.Url);
            capture._listener.Start();
            _ = Task.Run(async () =>
            {
                while (capture._listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await capture._listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    await capture._requests.Writer.WriteAsync((context.Request.Headers, body.ToArray()));
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                }
            });
            return capture;
        }

        public async Task<(System.Collections.Specialized.NameValueCollection Headers, byte[] Body)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await _requests.Reader.ReadAsync(timeout.Token);
        }

        public void Dispose() => _listener.Close();
    }
}
