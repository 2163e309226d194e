using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.S3;
using Cloudkeep.Services.S3.Replication;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Drains the S3 replication queue on the one node holding the replication lease. A write that
/// queues a version wakes it at once; otherwise it looks every
/// <see cref="CloudkeepOptions.ReplicationInterval"/> for retries that have come due (back-off is
/// measured on the injected clock). The queue lives in the metadata store, so a restart or another
/// node picks up where this one stopped.
/// </summary>
internal sealed partial class ReplicationJob(
    Replicator replicator,
    S3Context s3,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<ReplicationJob> logger) : LeasedJob(leases, time)
{
    private const int BatchSize = 256;
    protected override string LeaseName => "s3-replication";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.ReplicationInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var full = await RunOnceAsync(stoppingToken);
                if (!full)
                {
                    await WaitForWorkAsync(s3.WaitForReplicationAsync, interval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync();
        }
    }


    /// <returns>Whether the pass took a whole batch (more may be due at once).</returns>
    private async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = Time.GetUtcNow();
        try
        {
            // Only a node with work to do takes (and so writes) the lease.
            if (!await s3.Repository.AnyReplicationDueAsync(now, stoppingToken)
                || !await TryLeadAsync(now, stoppingToken))
            {
                return false;
            }

            var result = await replicator.RunAsync(BatchSize, stoppingToken);
            metrics.ReplicationCompleted.Inc(result.Completed);
            metrics.ReplicationFailed.Inc(result.Failed);
            metrics.ReplicationRetries.Inc(result.Retried);
            foreach (var lag in result.Lags)
            {
                metrics.ReplicationLag.Observe(Math.Max(0, lag.TotalSeconds));
            }

            metrics.ReplicationBacklog.Set(await s3.Repository.ReplicationBacklogAsync(stoppingToken));
            return result.Taken == BatchSize;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The queue is untouched by a failed pass; the next one retries it.
            PassFailed(logger, exception);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "S3 replication pass failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
