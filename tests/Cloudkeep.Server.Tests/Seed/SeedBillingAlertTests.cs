using System.Text.Json;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Estate;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Tests.Sns;
using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Seed;

/// <summary>
/// The seed's billing alerts end to end: examples/digital-marketplace applied (by `cloudkeep apply`'s
/// runner, the alert address given as a variable), the development topic's e-mail subscription
/// confirmed through the link SNS mails, the month's estimated charges published over the budget as
/// AWS/Billing EstimatedCharges (through <see cref="BillingMetrics"/>, the path AWS's own namespaces
/// take: PutMetricData refuses "AWS/" as AWS does), the clock moved past the end of the alarm's
/// six-hour period, and the alarm's e-mail arriving at a real SMTP server. The same topic also has an
/// HTTP subscriber (added to the estate as a team would add its chat bridge) that confirms through
/// the SubscribeURL and checks the alarm message's signature as AWS documents it: the certificate
/// fetched from SigningCertURL, the string to sign built from the message's fields, SHA256withRSA
/// for SignatureVersion 2.
/// </summary>
public sealed class SeedBillingAlertTests
{
    private const string Reader = "billing@example.test";

    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    [Fact]
    public async Task ExampleBillingAlarm_ChargesOverTheBudget_EmailsTheConfirmedSubscriber()
    {
        var clock = new ShiftableClock();
        await using var smtp = await SmtpCapture.StartAsync();
        await using var server = await TestServer.StartAsync(tls: true, time: clock, alarmEvaluationInterval: TimeSpan.FromMilliseconds(200),
            alerts: new AlertOptions { Smtp = "127.0.0.1:" + smtp.Port, From = "cloudkeep@example.test" });
        using var http = new HttpClient(CaBundle.From(server.CaFile)!.Handler(), disposeHandler: true);
        var admin = await AdministratorAsync(server, http);
        using var directory = new TempDirectory("cloudkeep-billing-test-");
        Directory.CreateDirectory(Path.Combine(directory.Path, "policies"));
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            File.Copy(policy, Path.Combine(directory.Path, "policies", Path.GetFileName(policy)));
        }

        var estate = Path.Combine(directory.Path, "estate.yaml");
        await using var receiver = new HttpSubscriber();
        var example = await File.ReadAllTextAsync(Path.Combine(Example, "estate.yaml"));
        const string DevelopmentTopic = "        displayName: DM development billing\n        signatureVersion: 2  # SNS signs with SHA256 (SHA1 is its default)\n        subscriptions:\n";
        Assert.Contains(DevelopmentTopic, example, StringComparison.Ordinal);
        await File.WriteAllTextAsync(estate, example.Replace(DevelopmentTopic, DevelopmentTopic + $"          - {{protocol: http, endpoint: \"{receiver.Url}\"}}\n", StringComparison.Ordinal));
        string? Variable(string name) => name switch { "AWS_ENDPOINT_URL" => server.Endpoint, "AWS_CA_BUNDLE" => server.CaFile, _ => null };
        using (var output = new StringWriter())
        using (var error = new StringWriter())
        {
            var applied = await new EstateRunner(output, error, new StringReader(""), false, _ => admin, Variable, TimeProvider.System)
                .ApplyAsync(new EstateArguments(estate, null, null, "eu-west-2", true) { Variables = new Dictionary<string, string> { ["billingAlertEmail"] = Reader } }, CancellationToken.None);
            Assert.True(applied == 0, output.ToString() + error);
        }

        var organizations = new OrganizationsClient(http, new Uri(server.Endpoint), admin, TimeProvider.System);
        var development = (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "development")["Id"]!.GetValue<string>();
        var developmentTopic = $"arn:aws:sns:us-east-1:{development}:billing-alerts";

        // Both environments subscribed the reader; the reader confirms development's through the link in its mail.
        var confirmation = await ToReaderAsync(smtp, m => m.Subject == "AWS Notification - Subscription Confirmation" && (m.TextBody ?? "").Contains(developmentTopic, StringComparison.Ordinal));
        var body = confirmation.TextBody!;
        var link = body[body.IndexOf("https://", StringComparison.Ordinal)..].Split('\n')[0].Trim();
        Assert.True((await http.GetAsync(new Uri(link))).IsSuccessStatusCode, link);

        // The HTTP receiver confirms too, after checking the confirmation is SNS's (signed as the topic says).
        var receiverConfirmation = JsonDocument.Parse((await receiver.NextAsync()).Body).RootElement;
        Assert.True(await SnsSignature.VerifyAsync(receiverConfirmation, http));
        Assert.Equal("2", receiverConfirmation.GetProperty("SignatureVersion").GetString());
        Assert.True((await http.GetAsync(new Uri(receiverConfirmation.GetProperty("SubscribeURL").GetString()!))).IsSuccessStatusCode);

        // Development's charges this month pass its 500 USD budget, published as AWS publishes them (us-east-1, Currency=USD).
        var cloudWatch = server.Server.Services.GetRequiredService<CloudWatchContext>();
        await new BillingMetrics(cloudWatch, new Charges(development, 612.34)).PublishAsync(clock.GetUtcNow(), CancellationToken.None);

        // The alarm judges complete six-hour periods: once the clock is past the end of this one, it fires.
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        clock.Offset += TimeSpan.FromSeconds(21600 - (now % 21600) + 60);
        try
        {
            var alarm = await ToReaderAsync(smtp, m => m.Subject?.StartsWith("ALARM:", StringComparison.Ordinal) == true);
            Assert.Equal("ALARM: \"billing-estimated-charges\" in US East (N. Virginia)", alarm.Subject);
            var message = JsonDocument.Parse(alarm.TextBody![..(alarm.TextBody!.LastIndexOf('}') + 1)]).RootElement;
            Assert.Equal(("billing-estimated-charges", development, "ALARM"), (
                message.GetProperty("AlarmName").GetString(), message.GetProperty("AWSAccountId").GetString(), message.GetProperty("NewStateValue").GetString()));
            Assert.StartsWith("Threshold Crossed: 1 datapoint [612.34 (", message.GetProperty("NewStateReason").GetString(), StringComparison.Ordinal);
            var trigger = message.GetProperty("Trigger");
            Assert.Equal(("EstimatedCharges", "AWS/Billing", 500.0), (trigger.GetProperty("MetricName").GetString(), trigger.GetProperty("Namespace").GetString(), trigger.GetProperty("Threshold").GetDouble()));
            Assert.Equal("""[{"value":"USD","name":"Currency"}]""", trigger.GetProperty("Dimensions").GetRawText());
            Assert.Equal(developmentTopic, message.GetProperty("AlarmActions")[0].GetString());

            // The HTTP receiver gets the same alarm and trusts it only once the signature checks out.
            var posted = await receiver.NextAsync();
            Assert.Equal("Notification", posted.Headers["x-amz-sns-message-type"]);
            var notification = JsonDocument.Parse(posted.Body).RootElement;
            Assert.Equal("2", notification.GetProperty("SignatureVersion").GetString());
            Assert.True(await SnsSignature.VerifyAsync(notification, http), "the alarm notification's SHA256withRSA signature");
            Assert.Equal(alarm.Subject, notification.GetProperty("Subject").GetString());
            Assert.Equal("billing-estimated-charges", JsonDocument.Parse(notification.GetProperty("Message").GetString()!).RootElement.GetProperty("AlarmName").GetString());
        }
        finally
        {
            clock.Offset = TimeSpan.Zero;
        }
    }

    /// <summary>An IAM administrator made with the root key: apply reaches member accounts through a role, which root cannot assume.</summary>
    private static async Task<AWSCredentials> AdministratorAsync(TestServer server, HttpClient http)
    {
        var root = new IamClient(http, new Uri(server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await root.CallAsync("CreateUser", [new("UserName", "estate-admin")], CancellationToken.None);
        await root.CallAsync("AttachUserPolicy", [new("UserName", "estate-admin"), new("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")], CancellationToken.None);
        var key = await root.CallAsync("CreateAccessKey", [new("UserName", "estate-admin")], CancellationToken.None);
        return new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId"), IamClient.Descendant(key, "SecretAccessKey"));
    }

    // The relay also carries the server's security alerts, and the reader gets production's confirmation too: skip what is not asked for.
    private static async Task<MimeKit.MimeMessage> ToReaderAsync(SmtpCapture smtp, Func<MimeKit.MimeMessage, bool> wanted)
    {
        while (true)
        {
            var message = await smtp.NextAsync();
            if (message.To.Mailboxes.Any(m => m.Address == Reader) && wanted(message))
            {
                return message;
            }
        }
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

    /// <summary>The month's charges so far: one account's total, as a metering source would report it.</summary>
    private sealed class Charges(string accountId, double usd) : IEstimatedChargesSource
    {
        public Task<IReadOnlyList<(string AccountId, string? ServiceName, double Usd)>> MonthToDateAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(string, string?, double)>>([(accountId, null, usd)]);
    }
}
