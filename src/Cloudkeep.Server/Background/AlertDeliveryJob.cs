using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Delivers the alert outbox on the node holding the delivery lease: at once when an alert is
/// raised on this node, and every <see cref="AlertOptions.DeliveryInterval"/> for retries and for
/// alerts other nodes (or a previous run) left. A pass that fails leaves the rows for the next.
/// </summary>
internal sealed partial class AlertDeliveryJob(
    AlertDelivery delivery,
    AlertEngine engine,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<AlertDeliveryJob> logger) : LeasedJob(leases, time)
{
    private readonly SemaphoreSlim _wake = new(0);

    protected override string LeaseName => "alert-delivery";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        engine.Raised += OnRaised;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken);
                await StopRenewingAsync();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var woken = _wake.WaitAsync(wait.Token);
                await Task.WhenAny(woken, Task.Delay(options.Alerts.DeliveryInterval, Time, wait.Token));
                await wait.CancelAsync();
                // Several alerts raised together need one pass.
                while (_wake.CurrentCount > 0)
                {
                    await _wake.WaitAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            engine.Raised -= OnRaised;
            await ReleaseAsync();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void OnRaised(int count)
    {
        metrics.AlertsRaised.Inc(count);
        _wake.Release();
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Only a node with alerts to deliver takes (and so writes) the lease.
            var now = Time.GetUtcNow();
            if (!await delivery.AnyDueAsync(stoppingToken) || !await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var result = await delivery.DeliverDueAsync(stoppingToken);
            metrics.AlertsDelivered.Inc(result.Delivered);
            metrics.AlertsRetried.Inc(result.Retried);
            metrics.AlertsDeadLettered.Inc(result.DeadLettered);
            if (result.DeadLettered > 0)
            {
                DeadLettered(logger, result.DeadLettered);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "Alert delivery failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "{Count} alert deliveries moved to the dead-letter list (state 'dead' in alert_outbox)")]
    private static partial void DeadLettered(ILogger logger, int count);
}
