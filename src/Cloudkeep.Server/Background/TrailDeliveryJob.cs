using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Delivers CloudTrail log and digest files every <see cref="CloudkeepOptions.TrailDeliveryInterval"/>
/// on the one node holding the delivery lease (events from every node are in the metadata store).
/// Only a node with something to deliver takes the lease, so an idle estate is never written to.
/// A failed pass leaves its work claimed for the next (see <see cref="TrailDelivery"/>: exactly once).
/// </summary>
internal sealed partial class TrailDeliveryJob(
    TrailDelivery delivery,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<TrailDeliveryJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "cloudtrail-delivery";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunEveryAsync(options.TrailDeliveryInterval, RunOnceAsync, stoppingToken);

    private async Task RunOnceAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (!await delivery.HasWorkAsync(now, stoppingToken)
                || !await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var result = await delivery.DeliverAsync(now, stoppingToken);
            metrics.TrailFiles.Inc(result.Files);
            metrics.TrailDigests.Inc(result.Digests);
            metrics.TrailRefused.Inc(result.Refused);
            metrics.TrailAbandoned.Inc(result.Abandoned);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "CloudTrail delivery failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
