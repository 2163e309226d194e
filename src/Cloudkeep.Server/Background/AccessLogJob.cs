using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.S3;
using Cloudkeep.Services.S3.Logging;
using Cloudkeep.Storage.Metadata;
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
    S3Context s3,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<AccessLogJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "s3-access-logs";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunEveryAsync(options.AccessLogInterval, RunOnceAsync, stoppingToken);

    private async Task RunOnceAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            // Only a node with lines to deliver takes (and so writes) the lease.
            if ((await s3.Repository.AccessLogSourcesAsync(now, stoppingToken)).Count == 0
                || !await TryLeadAsync(now, stoppingToken))
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
