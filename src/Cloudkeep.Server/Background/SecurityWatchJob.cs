using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Watch;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Runs the security watch every <see cref="SecurityWatchOptions.Interval"/> (a day by default) on
/// the node holding its lease. Whether a pass is due is read from the store (when the watch last
/// looked), so a restart or another node does not run it again early; the clock is the injected one.
/// </summary>
internal sealed partial class SecurityWatchJob(
    SecurityWatch watch,
    WatchFindingsRepository findings,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<SecurityWatchJob> logger) : LeasedJob(leases, time)
{
    /// <summary>How often the job asks whether a pass is due: the interval, but at most ten minutes, so a pass is late by that at most.</summary>
    private static readonly TimeSpan MaxTick = TimeSpan.FromMinutes(10);

    protected override string LeaseName => "security-watch";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RunEveryAsync(options.Watch.Interval < MaxTick ? options.Watch.Interval : MaxTick, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (await findings.LastCheckedAsync(stoppingToken) is { } last && now - last < options.Watch.Interval)
            {
                return;
            }

            if (!await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            var pass = await watch.RunAsync(stoppingToken);
            PassDone(logger, pass.Accounts, pass.Findings, pass.NewHigh, pass.Failed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Security watch: {Accounts} account(s), {Findings} finding(s), {NewHigh} new high or critical (alerted), {Failed} account(s) not readable")]
    private static partial void PassDone(ILogger logger, int accounts, int findings, int newHigh, int failed);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Security watch pass failed; the next one retries")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
