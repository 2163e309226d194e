using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Billing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Writes this node's usage counts to the hourly rows every flush interval (none: only at the end)
/// and once more on a clean stop. Every node runs it (each flushes only what it counted, and rows add up), so it holds no lease.
/// </summary>
internal sealed partial class UsageFlushJob(UsageMeter meter, TimeProvider time, CloudkeepOptions options, ILogger<UsageFlushJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!meter.Enabled)
        {
            return;
        }

        try
        {
            // With no interval this node still writes its counts when it stops.
            if (options.MeteringFlushInterval <= TimeSpan.Zero)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.MeteringFlushInterval, time, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await meter.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            FlushFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Could not write the metered usage; it is kept for the next flush")]
    private static partial void FlushFailed(ILogger logger, Exception exception);
}
