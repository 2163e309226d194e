using System.Collections.Concurrent;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// The request path's usage counters: one long per (account, region, usage, hour), added to with
/// Interlocked so counting costs a dictionary lookup and an atomic add, and drained to the hour's
/// rows by <see cref="FlushAsync"/> (every node flushes its own; the rows add up). A count is
/// taken out of its counter by an atomic exchange, so a request counted during a flush is kept for
/// the next one; a flush that fails puts its counts back.
/// </summary>
public sealed class UsageMeter(UsageRepository repository, TimeProvider time)
{
    private readonly ConcurrentDictionary<Key, Counter> _counters = new();

    /// <summary>Off: counts nothing (the benchmark's "metering off" side, and --no-metering).</summary>
    public bool Enabled { get; init; } = true;

    public void Count(string accountId, string region, MeteredUsage usage, long amount = 1)
    {
        if (!Enabled || amount <= 0 || accountId.Length == 0)
        {
            return;
        }

        var hour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        var counter = _counters.GetOrAdd(new Key(accountId, region, usage, hour), static _ => new Counter());
        Interlocked.Add(ref counter.Value, amount);
    }

    /// <summary>Writes what was counted since the last flush to the store; returns how many rows it wrote.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var currentHour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        var drained = new List<(Key Key, long Amount)>();
        foreach (var (key, counter) in _counters)
        {
            var amount = Interlocked.Exchange(ref counter.Value, 0);
            if (amount != 0)
            {
                drained.Add((key, amount));
            }
            else if (key.Hour < currentHour - 1)
            {
                // Past hours' counters stop being written to once the hour is over; dropping them keeps the map small.
                _counters.TryRemove(key, out _);
            }
        }

        if (drained.Count == 0)
        {
            return 0;
        }

        var rows = drained.Select(d =>
        {
            var (service, usageType, perUnit) = MeteredUsageNames.Of(d.Key.Usage);
            return new UsageRecord(d.Key.AccountId, d.Key.Region, service, UsageTypes.For(d.Key.Region, usageType), "", DateTimeOffset.FromUnixTimeSeconds(d.Key.Hour * 3600), d.Amount * perUnit);
        }).ToList();
        try
        {
            await repository.AddAsync(rows, cancellationToken);
            return rows.Count;
        }
        catch
        {
            foreach (var (key, amount) in drained)
            {
                Interlocked.Add(ref _counters.GetOrAdd(key, static _ => new Counter()).Value, amount);
            }

            throw;
        }
    }

    private readonly record struct Key(string AccountId, string Region, MeteredUsage Usage, long Hour);

    private sealed class Counter
    {
        public long Value;
    }
}
