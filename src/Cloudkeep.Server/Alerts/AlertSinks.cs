using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.Sns;

namespace Cloudkeep.Server.Alerts;

/// <summary>The configured sinks (e-mail always: SMTP or the .eml outbox; one per webhook URL; one per SNS topic) and the HTTP client they share.</summary>
internal sealed class AlertSinks : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public AlertSinks(AlertOptions options, string dataDirectory, SnsServicePublisher sns)
    {
        options.SmtpEndpoint();
        var sinks = new List<IAlertSink> { new EmailAlertSink(options, OutboxDirectory(dataDirectory)) };
        foreach (var webhook in options.Webhooks)
        {
            if (!Uri.TryCreate(webhook, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--alert-webhook {webhook}: expected an http or https URL");
            }

            sinks.Add(new WebhookAlertSink(url, options.WebhookSecret, _http));
        }

        foreach (var topic in options.SnsTopics)
        {
            sinks.Add(new SnsAlertSink(topic, sns));
        }

        All = sinks;
    }

    public IReadOnlyList<IAlertSink> All { get; }

    /// <summary>&lt;data&gt;/outbox, where SNS's e-mail goes too: alert e-mails as alert-*.eml files without --smtp.</summary>
    public static string OutboxDirectory(string dataDirectory) => Path.Combine(dataDirectory, "outbox");

    public void Dispose() => _http.Dispose();
}
