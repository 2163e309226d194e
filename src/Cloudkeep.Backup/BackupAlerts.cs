using System.Net.Http.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Cloudkeep.Backup;

/// <summary>What went wrong with which backup, for whoever must act on it.</summary>
public sealed record BackupAlert(string Job, string Message, DateTimeOffset Time);

/// <summary>Where a failed backup is reported. Small on purpose: the server's alert sinks (issue D) can implement it too.</summary>
public interface IBackupAlertSink
{
    Task SendAsync(BackupAlert alert, CancellationToken cancellationToken);
}

/// <summary>A JSON POST to a webhook: <c>{"source":"cloudkeep-backup","job":...,"message":...,"time":...}</c>; a non-2xx answer is a failure.</summary>
public sealed class WebhookAlertSink(HttpClient http, Uri url) : IBackupAlertSink
{
    public async Task SendAsync(BackupAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var response = await http.PostAsJsonAsync(url, new { source = "cloudkeep-backup", job = alert.Job, message = alert.Message, time = alert.Time.ToString("O") }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>An e-mail through an SMTP relay (MailKit; STARTTLS when the relay offers it, as a local relay or a test server may not).</summary>
public sealed class SmtpAlertSink(string host, int port, string from, string to) : IBackupAlertSink
{
    public async Task SendAsync(BackupAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"Backup failed: {alert.Job}";
        message.Body = new TextPart("plain") { Text = $"{alert.Time:O}\n\n{alert.Message}\n" };
        using var client = new SmtpClient();
        await client.ConnectAsync(host, port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
