using Cloudkeep.Server.Alerts;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>The seed's billing-alert path: an e-mail subscription, confirmed through the link it is mailed, then a published alarm arriving at a real SMTP server.</summary>
public sealed class SnsEmailTests
{
    [Fact]
    public async Task EmailSubscription_ThroughSmtp_ConfirmationLinkThenMessageArrive()
    {
        await using var smtp = await SmtpCapture.StartAsync();
        await using var server = await TestServer.StartAsync(alerts: new AlertOptions { Smtp = "127.0.0.1:" + smtp.Port, From = "cloudkeep@example.test" });
        var root = Cli.Root(server);
        var topic = await SnsFixture.CreateTopicAsync(root, "billing-alarms");
        await root.RunAsync("sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint", "finance@example.test");

        var confirmation = await ToFinanceAsync(smtp);
        Assert.Equal("finance@example.test", confirmation.To.Mailboxes.Single().Address);
        Assert.Equal("AWS Notification - Subscription Confirmation", confirmation.Subject);
        var body = confirmation.TextBody ?? "";
        var link = body[body.IndexOf("http://", StringComparison.Ordinal)..].Split('\n')[0].Trim();
        using (var http = new HttpClient())
        {
            Assert.True((await http.GetAsync(link)).IsSuccessStatusCode);
        }

        await root.RunAsync("sns", "publish", "--topic-arn", topic, "--subject", "ALARM: EstimatedCharges", "--message", "Estimated charges are over 100 USD");
        var alarm = await ToFinanceAsync(smtp);
        Assert.Equal("ALARM: EstimatedCharges", alarm.Subject);
        Assert.Contains("Estimated charges are over 100 USD", alarm.TextBody, StringComparison.Ordinal);
        Assert.Contains("Action=Unsubscribe", alarm.TextBody, StringComparison.Ordinal);
    }

    // The same relay also carries the server's security alerts (root's key is used here): skip those.
    private static async Task<MimeKit.MimeMessage> ToFinanceAsync(SmtpCapture smtp)
    {
        while (true)
        {
            var message = await smtp.NextAsync();
            if (message.To.Mailboxes.Any(m => m.Address == "finance@example.test"))
            {
                return message;
            }
        }
    }
}
