using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.S3.Logging;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Delivers S3 server access logs every <see cref="CloudkeepOptions.AccessLogInterval"/> on the one
/// node holding the delivery lease (lines from every node are in the metadata store). A pass that
/// fails leaves the lines for the next one; a pass stopped midway may deliver a log object twice,
/// never lose one, which S3's own documentation allows for ("best effort").
/// </summary>
internal sealed partial class AccessLogJob(
    AccessLogDelivery delivery,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<AccessLogJob> logger) : BackgroundService
{
    private const string LeaseName = "s3-access-logs";
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.AccessLogInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                await RunOnceAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, _holder, CancellationToken.None);
        }
    }

    private async Task RunOnceAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        try
        {
            if (!await leases.TryTakeAsync(LeaseName, _holder, now, now + (interval * 2) + TimeSpan.FromMinutes(1), stoppingToken))
            {
                return;
            }

            var result = await delivery.DeliverAsync(now, stoppingToken);
            metrics.AccessLogObjects.Inc(result.Objects);
            metrics.AccessLogRefused.Inc(result.Refused);
            metrics.AccessLogDropped.Inc(result.Dropped);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "S3 server access log delivery failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
