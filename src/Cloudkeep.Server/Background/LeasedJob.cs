using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Hosting;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Background work that runs once per estate, however many nodes serve it: a pass is made by the
/// node holding the job's lease in the metadata store, which lapses by itself if that node stops
/// and is given up at once on a clean stop. Time comes from the injected clock.
/// </summary>
internal abstract class LeasedJob(LeaseRepository leases, TimeProvider time) : BackgroundService
{
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected abstract string LeaseName { get; }

    protected TimeProvider Time => time;

    /// <summary>Takes or renews the lease for <paramref name="length"/>; false while another node holds it.</summary>
    protected Task<bool> TryLeadAsync(DateTimeOffset now, TimeSpan length, CancellationToken cancellationToken) =>
        leases.TryTakeAsync(LeaseName, _holder, now, now + length, cancellationToken);

    /// <summary>
    /// Runs <paramref name="pass"/> now and then every <paramref name="interval"/> until the server
    /// stops (nothing when the interval is zero, the setting that turns the job off), then gives the
    /// lease up. A pass handles its own failures; the next one retries.
    /// </summary>
    protected async Task RunEveryAsync(TimeSpan interval, Func<DateTimeOffset, CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await pass(time.GetUtcNow(), stoppingToken);
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

    /// <summary>
    /// For jobs woken by new work: waits until <paramref name="woken"/> completes (a write queued
    /// something) or <paramref name="interval"/> passes on the injected clock, whichever is first.
    /// </summary>
    protected async Task WaitForWorkAsync(Func<CancellationToken, Task> woken, TimeSpan interval, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(woken);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var wake = woken(waiting.Token);
        var elapsed = Task.Delay(interval, time, waiting.Token);
        await Task.WhenAny(wake, elapsed);
        await waiting.CancelAsync();
        try
        {
            await Task.WhenAll(wake, elapsed);
        }
        catch (OperationCanceledException)
        {
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>For jobs with their own loop: gives the lease up (a clean stop).</summary>
    protected Task ReleaseAsync() => leases.ReleaseAsync(LeaseName, _holder, CancellationToken.None);
}
