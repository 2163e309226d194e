using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloudkeep.Backup.Tests;

/// <summary>The e-mail alert through a minimal SMTP relay on loopback (RFC 5321's greeting, EHLO, MAIL, RCPT, DATA, QUIT).</summary>
public sealed class BackupAlertTests
{
    [Fact]
    public async Task SmtpAlertSink_SendsTheFailureAsAnEmail()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(() => ReceiveOneAsync(listener));

        await new SmtpAlertSink("127.0.0.1", port, "ci@digitalmarketplace.example", "ops@digitalmarketplace.example")
            .SendAsync(new BackupAlert("backup of production", "pg_dump failed (exit 1): connection refused", DateTimeOffset.UnixEpoch), CancellationToken.None);

        var (recipients, data) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["RCPT TO:<ops@digitalmarketplace.example>"], recipients);
        Assert.Contains("Subject: Backup failed: backup of production", data, StringComparison.Ordinal);
        Assert.Contains("pg_dump failed (exit 1): connection refused", data, StringComparison.Ordinal);
    }

    private static async Task<(List<string> Recipients, string Data)> ReceiveOneAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var recipients = new List<string>();
        var data = new StringBuilder();
        await writer.WriteLineAsync("220 test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase))
            {
                await writer.WriteLineAsync("250 test");
            }
            else if (line.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase))
            {
                recipients.Add(line);
                await writer.WriteLineAsync("250 OK");
            }
            else if (line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase))
            {
                await writer.WriteLineAsync("354 go ahead");
                while (await reader.ReadLineAsync() is { } body && body != ".")
                {
                    data.AppendLine(body);
                }

                await writer.WriteLineAsync("250 queued");
            }
            else if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
            {
                await writer.WriteLineAsync("221 bye");
                break;
            }
            else
            {
                await writer.WriteLineAsync("250 OK");
            }
        }

        return (recipients, data.ToString());
    }
}
