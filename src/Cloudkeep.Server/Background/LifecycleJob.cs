using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.S3.Lifecycle;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Runs the S3 lifecycle rules every <see cref="CloudkeepOptions.LifecycleInterval"/> on the one
/// node holding the lifecycle lease, reading the time from the injected clock. A pass decides from
/// what is stored, so one stopped by a restart is finished by the next.
/// </summary>
internal sealed partial class LifecycleJob(
    LifecycleRunner runner,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<LifecycleJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "s3-lifecycle";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunEveryAsync(options.LifecycleInterval, RunOnceAsync, stoppingToken);

    private async Task RunOnceAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            // The lease is renewed while this node lives, so a slow pass is not taken over midway.
            if (!await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var result = await runner.RunAsync(now, stoppingToken);
            metrics.LifecycleExpired.Inc(result.Expired + result.NoncurrentExpired + result.DeleteMarkersRemoved);
            metrics.LifecycleAborted.Inc(result.UploadsAborted);
            metrics.LifecycleTransitioned.Inc(result.Transitioned);
            metrics.LifecycleLastRun.Set(now.ToUnixTimeSeconds());
            metrics.LifecyclePasses.Inc();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A failed pass is retried at the next interval; the server keeps serving.
            PassFailed(logger, exception);
            metrics.LifecycleFailures.Inc();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "S3 lifecycle pass failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
