using MimeKit;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// Sends one message the way the server sends all its mail: through the --smtp relay when one is set,
/// else as an .eml file in &lt;data&gt;/outbox for a machine with no mail set up (written whole under a
/// temporary name and renamed, so a reader never sees half a message).
/// </summary>
internal static class OutboxMail
{
    public static async Task SendAsync(AlertOptions options, string dataDirectory, string fileName, MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(message);
        if (options.SmtpEndpoint() is { } smtp)
        {
            await SmtpRelay.SendAsync(smtp, options, message, cancellationToken);
            return;
        }

        var outbox = AlertSinks.OutboxDirectory(dataDirectory);
        Directory.CreateDirectory(outbox);
        var temporary = Path.Combine(outbox, "." + fileName + ".tmp");
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Only the server's user reads the outbox: a message may carry a one-time link.
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(temporary, create))
        {
            await message.WriteToAsync(file, cancellationToken);
        }

        File.Move(temporary, Path.Combine(outbox, fileName), overwrite: true);
    }
}
