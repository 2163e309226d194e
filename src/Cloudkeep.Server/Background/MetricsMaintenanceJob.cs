using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// CloudWatch's upkeep on the one node holding its lease: S3's daily storage metrics (published
/// once for each new UTC day, the day remembered in the settings so a restart does not publish it
/// twice), AWS/Billing EstimatedCharges when a charges source is wired (none yet), and the
/// retention pass that rolls data points up and deletes what has aged out.
/// </summary>
internal sealed partial class MetricsMaintenanceJob(
    MetricsMaintenance maintenance,
    S3StorageMetrics storage,
    BillingMetrics billing,
    SettingsRepository settings,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<MetricsMaintenanceJob> logger) : LeasedJob(leases, time)
{
    private const string LastStorageDay = "cloudwatch.s3-storage-metrics.day";

    protected override string LeaseName => "cloudwatch-maintenance";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RunEveryAsync(options.MetricsMaintenanceInterval, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (!await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
            var today = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (await settings.GetAsync(LastStorageDay, stoppingToken) != today)
            {
                await storage.PublishAsync(day, stoppingToken);
                await settings.SetAsync(LastStorageDay, today, stoppingToken);
            }

            await billing.PublishAsync(now, stoppingToken);
            if (await maintenance.DueAsync(now, stoppingToken))
            {
                await maintenance.RunAsync(now, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "CloudWatch metrics upkeep failed; the next pass retries")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
