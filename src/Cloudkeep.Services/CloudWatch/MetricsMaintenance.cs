namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// The retention pass: rolls each resolution up into the next once it is older than CloudWatch keeps
/// it (<see cref="MetricRetention.Tiers"/>), deletes hourly data past 455 days and metrics left with
/// no data, and alarm history older than 30 days ("Alarm history is retained for 30 days").
/// </summary>
public sealed class MetricsMaintenance(CloudWatchContext cloudWatch)
{
    private const int Batch = 5000;

    public static readonly TimeSpan HistoryKeptFor = TimeSpan.FromDays(30);

    /// <summary>Whether a pass would change anything (so an idle estate is only read).</summary>
    public async Task<bool> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (resolution, keptFor, _) in MetricRetention.Tiers)
        {
            if (await cloudWatch.Repository.AnyOlderAsync(resolution, (now - keptFor).ToUnixTimeSeconds(), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (resolution, keptFor, rollsInto) in MetricRetention.Tiers)
        {
            var before = (now - keptFor).ToUnixTimeSeconds();
            if (rollsInto == 0)
            {
                await cloudWatch.Repository.ExpireAsync(resolution, before, now - TimeSpan.FromDays(15), cancellationToken);
                continue;
            }

            while (await cloudWatch.Repository.RollUpAsync(resolution, rollsInto, before, Batch, cancellationToken) > 0)
            {
            }
        }

        await cloudWatch.Repository.ExpireHistoryAsync(now - HistoryKeptFor, cancellationToken);
    }
}
