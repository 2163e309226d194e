using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.S3.Lifecycle;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Runs the S3 lifecycle rules every <see cref="CloudkeepOptions.LifecycleInterval"/> on the one node
/// holding the lifecycle lease (so it runs once per estate however many nodes serve it), reading the
/// time from the injected clock. A pass decides from what is stored, so one stopped by a restart is
/// finished by the next; the lease lapses by itself if this node stops.
/// </summary>
internal sealed partial class LifecycleJob(
    LifecycleRunner runner,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    ILogger<LifecycleJob> logger) : BackgroundService
{
    private const string LeaseName = "s3-lifecycle";
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.LifecycleInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(interval, stoppingToken);
                await Task.Delay(interval, time, stoppingToken);
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
            // The lease outlives a pass by a whole interval, so a slow pass is not taken over midway.
            if (!await leases.TryTakeAsync(LeaseName, _holder, now, now + (interval * 2) + TimeSpan.FromMinutes(1), stoppingToken))
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
