namespace Cloudkeep.Server.Alerts;

/// <summary>Where alerts go and which rules raise them; each setting has a `serve` option or environment variable.</summary>
public sealed record AlertOptions
{
    /// <summary>--smtp / CLOUDKEEP_SMTP: HOST:PORT of the mail server; without it, alerts are written as .eml files to &lt;data&gt;/outbox.</summary>
    public string? Smtp { get; init; }

    /// <summary>--smtp-user / CLOUDKEEP_SMTP_USER, with CLOUDKEEP_SMTP_PASSWORD (never an option: command lines are visible to every user).</summary>
    public string? SmtpUser { get; init; }

    public string? SmtpPassword { get; init; }

    /// <summary>--alert-from / CLOUDKEEP_ALERT_FROM.</summary>
    public string From { get; init; } = "cloudkeep@localhost";

    /// <summary>--alert-to / CLOUDKEEP_ALERT_TO (comma-separated): the security team's addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>--alert-webhook / CLOUDKEEP_ALERT_WEBHOOKS (comma-separated): URLs each alert is POSTed to.</summary>
    public IReadOnlyList<string> Webhooks { get; init; } = [];

    /// <summary>--alert-sns-topic / CLOUDKEEP_ALERT_SNS_TOPICS (comma-separated): topic ARNs each alert is published to (the topic policy must allow events.amazonaws.com).</summary>
    public IReadOnlyList<string> SnsTopics { get; init; } = [];

    /// <summary>CLOUDKEEP_ALERT_WEBHOOK_SECRET: the HMAC-SHA256 key of the X-Cloudkeep-Signature-256 header.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>--alert-rules / CLOUDKEEP_ALERT_RULES: a JSON file of operator rules, added to the built-in ones.</summary>
    public string? RulesFile { get; init; }

    /// <summary>How often the delivery job looks for due retries when no new alert wakes it.</summary>
    public TimeSpan DeliveryInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);

    public int MaxAttempts { get; init; } = 8;

    /// <summary>The SMTP host and port, or null without --smtp.</summary>
    public (string Host, int Port)? SmtpEndpoint()
    {
        if (string.IsNullOrEmpty(Smtp))
        {
            return null;
        }

        var colon = Smtp.LastIndexOf(':');
        return colon > 0 && int.TryParse(Smtp[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (Smtp[..colon], port)
            : throw new ArgumentException($"--smtp {Smtp}: expected HOST:PORT");
    }
}
