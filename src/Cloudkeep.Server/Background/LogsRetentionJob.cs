using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Logs;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Applies CloudWatch Logs retention on the one node holding its lease: events older than their
/// group's retention (on the injected clock) are deleted. A pass only reads until it finds such
/// events, so an idle estate is never written to.
/// </summary>
internal sealed partial class LogsRetentionJob(
    LogsContext logs,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<LogsRetentionJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "logs-retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RunEveryAsync(options.LogsRetentionInterval, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            var leading = false;
            foreach (var group in await logs.Repository.GroupsWithRetentionAsync(stoppingToken))
            {
                var before = (now - TimeSpan.FromDays(group.RetentionDays!.Value)).ToUnixTimeMilliseconds();
                if (!await logs.Repository.AnyOlderAsync(group.AccountId, group.Region, group.Name, before, stoppingToken))
                {
                    continue;
                }

                leading = leading || await TryLeadAsync(now, stoppingToken);
                if (!leading)
                {
                    return;
                }

                await logs.Repository.ExpireAsync(group.AccountId, group.Region, group.Name, before, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "CloudWatch Logs retention pass failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
