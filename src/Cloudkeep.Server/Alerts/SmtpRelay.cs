using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// The one way the server sends mail when --smtp is set (alerts, SNS e-mail subscriptions):
/// MailKit, STARTTLS when the server offers it, signing in when a user is configured.
/// </summary>
internal static class SmtpRelay
{
    public static async Task SendAsync((string Host, int Port) smtp, AlertOptions options, MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (options.SmtpUser is { Length: > 0 } user)
        {
            await client.AuthenticateAsync(user, options.SmtpPassword ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
