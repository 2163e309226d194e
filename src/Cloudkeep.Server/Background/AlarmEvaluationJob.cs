using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Evaluates every CloudWatch metric alarm once a minute (as AWS does) on the one node holding the
/// lease, at the injected clock's time; a state change is written with its history and its SNS
/// actions run. State lives in the metadata store, so a restart or another node carries on.
/// </summary>
internal sealed partial class AlarmEvaluationJob(
    AlarmEvaluator evaluator,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<AlarmEvaluationJob> logger) : LeasedJob(leases, time)
{
    protected override string LeaseName => "cloudwatch-alarms";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RunEveryAsync(options.AlarmEvaluationInterval, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (!await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            await evaluator.EvaluateAllAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "CloudWatch alarm evaluation failed; the next pass retries")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
