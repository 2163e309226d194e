using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// The hourly roll-up of stored usage (S3 storage, KMS keys, metrics, alarms, log storage) on the
/// one node holding its lease; which hour comes next is kept in the settings, so a restart or a
/// lease moving to another node neither skips nor repeats an hour.
/// </summary>
internal sealed partial class UsageRollupJob(
    UsageRollup rollup,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<UsageRollupJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "metering-rollup";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Metering ? RunEveryAsync(options.MeteringRollupInterval, PassAsync, stoppingToken) : Task.CompletedTask;

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (await TryLeadAsync(now, stoppingToken))
            {
                await rollup.RunAsync(now, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "The hourly usage roll-up failed; the next pass retries")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
