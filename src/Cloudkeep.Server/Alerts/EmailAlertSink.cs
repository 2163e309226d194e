using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Alerts;
using MimeKit;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// Alerts by e-mail: through SMTP (MailKit; STARTTLS when the server offers it) when --smtp is set,
/// else as .eml files in the outbox directory, for a machine with no mail set up. A file is
/// written whole under a temporary name and then renamed, so a reader never sees half a message.
/// </summary>
internal sealed class EmailAlertSink(AlertOptions options, string outboxDirectory) : IAlertSink
{
    public string Name => "email";

    public async Task DeliverAsync(JsonObject alert, CancellationToken cancellationToken)
    {
        var message = Message(alert);
        if (options.SmtpEndpoint() is not { } smtp)
        {
            Directory.CreateDirectory(outboxDirectory);
            var name = $"alert-{alert["raisedAt"]?.GetValue<string>().Replace(":", "", StringComparison.Ordinal) ?? "alert"}-{alert["alertId"]!.GetValue<string>()}.eml";
            var temporary = Path.Combine(outboxDirectory, "." + name + ".tmp");
            await using (var file = File.Create(temporary))
            {
                await message.WriteToAsync(file, cancellationToken);
            }

            File.Move(temporary, Path.Combine(outboxDirectory, name), overwrite: true);
            return;
        }

        await SmtpRelay.SendAsync(smtp, options, message, cancellationToken);
    }

    private MimeMessage Message(JsonObject alert)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var to in options.To.Count > 0 ? options.To : ["security@localhost"])
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        string Field(string name) => FieldOf(alert, name);
        message.Subject = Subject(alert);
        message.MessageId = $"{Field("alertId")}@cloudkeep";
        message.Headers.Add("X-Cloudkeep-Alert-Rule", Field("rule"));
        if (DateTimeOffset.TryParse(Field("raisedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var raised))
        {
            message.Date = raised;
        }

        var text = new StringBuilder()
            .AppendLine(Field("description")).AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Rule:       {Field("rule")} ({Field("severity")})");
        if (alert["finding"] is JsonObject finding)
        {
            // A security watch finding: no event behind it, but what to do about it.
            string Of(string name) => finding[name]?.GetValue<object>()?.ToString() ?? "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"Account:    {Field("account")}")
                .AppendLine(CultureInfo.InvariantCulture, $"Resource:   {Of("resource")}")
                .AppendLine(CultureInfo.InvariantCulture, $"Check:      {Of("id")}")
                .AppendLine()
                .AppendLine("How to fix it:")
                .AppendLine(Of("fix"));
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Account:    {Field("account")}  Region: {Field("region")}")
                .AppendLine(CultureInfo.InvariantCulture, $"Event:      {Field("eventSource")} {Field("eventName")} at {Field("eventTime")} (event id {Field("eventId")})")
                .AppendLine(CultureInfo.InvariantCulture, $"Principal:  {Field("principal")} from {Field("sourceIPAddress")}")
                .AppendLine()
                .AppendLine("The CloudTrail record:")
                .AppendLine(alert["event"]?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "{}");
        }

        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }

    /// <summary>The one-line subject e-mail and SNS alerts carry.</summary>
    public static string Subject(JsonObject alert) =>
        $"[Cloudkeep {FieldOf(alert, "severity")}] {FieldOf(alert, "title")} in account {FieldOf(alert, "account")}";

    private static string FieldOf(JsonObject alert, string name) => alert[name]?.GetValue<object>()?.ToString() ?? "-";
}
