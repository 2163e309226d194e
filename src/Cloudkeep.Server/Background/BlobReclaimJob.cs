using Cloudkeep.Storage.Metadata;
using Cloudkeep.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Deletes the blobs whose deletes an estate snapshot deferred (<see cref="BlobReclaimer"/>) once no snapshot
/// holds a lease: at start (deletes deferred before a restart) and every <see cref="Interval"/>. The backup
/// command reclaims them itself when it finishes; this job covers a backup that was killed, whose lease lapses.
/// An idle estate is only read.
/// </summary>
internal sealed partial class BlobReclaimJob(
    BlobReclaimer reclaimer,
    LeaseRepository leases,
    TimeProvider time,
    ILogger<BlobReclaimJob> logger) : LeasedJob(leases, time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override string LeaseName => "blob-reclaim";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunEveryAsync(Interval, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (await reclaimer.PendingAsync(stoppingToken) == 0 || !await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var removed = await reclaimer.ReclaimDeferredAsync(stoppingToken);
            if (removed > 0)
            {
                Reclaimed(logger, removed);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} blobs whose deletes an estate snapshot had deferred")]
    private static partial void Reclaimed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting the blobs deferred by estate snapshots failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
