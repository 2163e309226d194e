using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Alerts;

/// <summary>A place alerts go: e-mail, a webhook. Throws when the sink did not take the alert (it is retried).</summary>
public interface IAlertSink
{
    /// <summary>The name outbox rows carry: "email", or "webhook:" and the URL.</summary>
    string Name { get; }

    Task DeliverAsync(JsonObject alert, CancellationToken cancellationToken);
}

/// <summary>What one delivery pass did.</summary>
public readonly record struct AlertDeliveryResult(int Delivered, int Retried, int DeadLettered);

/// <summary>
/// Delivers due outbox rows through their sinks: a row is done when its sink took it; a failure is
/// retried after an exponential back-off (FirstRetry, doubled each time, at most an hour); after
/// MaxAttempts failures, or when its sink is no longer configured, the row moves to the dead-letter
/// list (state "dead", with the last error) for an operator to look at.
/// </summary>
public sealed class AlertDelivery(AlertOutboxRepository outbox, IReadOnlyList<IAlertSink> sinks, TimeProvider time)
{
    private readonly Dictionary<string, IAlertSink> _sinks = sinks.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public int MaxAttempts { get; init; } = 8;

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> SinkNames => [.. _sinks.Keys];

    public static TimeSpan Backoff(long attempts, TimeSpan first)
    {
        var delay = first * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : delay;
    }

    /// <summary>Whether any row is due: a read, so that idle nodes never write the delivery lease.</summary>
    public async Task<bool> AnyDueAsync(CancellationToken cancellationToken) =>
        (await outbox.DueAsync(time.GetUtcNow(), 1, cancellationToken)).Count > 0;

    public async Task<AlertDeliveryResult> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var (delivered, retried, dead) = (0, 0, 0);
        foreach (var row in await outbox.DueAsync(time.GetUtcNow(), 100, cancellationToken))
        {
            string? error;
            if (!_sinks.TryGetValue(row.Sink, out var sink))
            {
                error = $"sink {row.Sink} is not configured on this server";
            }
            else
            {
                try
                {
                    await sink.DeliverAsync(JsonNode.Parse(row.Alert)!.AsObject(), cancellationToken);
                    error = null;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = e.Message;
                }
            }

            var now = time.GetUtcNow();
            var attempts = row.Attempts + 1;
            if (error is null)
            {
                await outbox.RecordAsync(row.Id, AlertOutboxRow.Delivered, attempts, row.DueMs, null, now.ToUnixTimeMilliseconds(), cancellationToken);
                delivered++;
            }
            else if (sink is null || attempts >= MaxAttempts)
            {
                await outbox.RecordAsync(row.Id, AlertOutboxRow.Dead, attempts, row.DueMs, error, now.ToUnixTimeMilliseconds(), cancellationToken);
                dead++;
            }
            else
            {
                await outbox.RecordAsync(row.Id, AlertOutboxRow.Pending, attempts, (now + Backoff(attempts, FirstRetry)).ToUnixTimeMilliseconds(), error, null, cancellationToken);
                retried++;
            }
        }

        return new AlertDeliveryResult(delivered, retried, dead);
    }
}
