using System.Text.Json;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.CloudTrail;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// Feeds every stored CloudTrail event to the alert rules, after the record step's batch commits:
/// a rule that matches writes its alerts to the outbox, from which the delivery job sends them.
/// Data events (S3 object reads and writes) are left out: no built-in rule looks at them; so is an event
/// no rule can match by its name and identity type (the record is then not even parsed).
/// </summary>
internal sealed partial class AuditAlertObserver(AlertEngine engine, ILogger<AuditAlertObserver> logger) : IAuditEventObserver
{
    public async ValueTask OnStoredAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var stored in events)
        {
            if (!stored.Management || !engine.MayMatch(stored.EventName, stored.IdentityType))
            {
                continue;
            }

            try
            {
                using var record = JsonDocument.Parse(stored.Record);
                await engine.OnEventAsync(record.RootElement, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                RuleFailed(logger, stored.EventName, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rules could not be applied to a {EventName} event")]
    private static partial void RuleFailed(ILogger logger, string eventName, Exception exception);
}
