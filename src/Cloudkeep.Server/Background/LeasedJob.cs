using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Hosting;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Background work that runs once per estate, however many nodes serve it: a pass is made by the
/// node holding the job's lease in the metadata store. The lease guards passes: while one runs, its
/// node renews the lease every <see cref="RenewEvery"/> for <see cref="LeaseLength"/>, so however slow
/// the pass no other node starts one; after it the lease lapses within <see cref="LeaseLength"/> unless
/// the same node's next pass takes it again (an idle estate is not written to every few seconds). A
/// clean stop gives the lease up at once; a node that dies loses it within <see cref="LeaseLength"/>,
/// and the next node to look leads. Passes decide from what is stored, so one interrupted midway is
/// finished by the next, wherever it runs. Time comes from the injected clock.
/// </summary>
internal abstract class LeasedJob(LeaseRepository leases, TimeProvider time) : BackgroundService
{
    /// <summary>How long a dead leader keeps the job from the other nodes.</summary>
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(15);

    /// <summary>How often a live leader renews: a few renewals may fail (a busy database) before the lease lapses.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
    private CancellationTokenSource? _renewing;

    protected abstract string LeaseName { get; }

    protected TimeProvider Time => time;

    /// <summary>Takes or renews the lease, and keeps renewing it while this node lives; false while another node holds it.</summary>
    protected async Task<bool> TryLeadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await leases.TryTakeAsync(LeaseName, _holder, now, now + LeaseLength, cancellationToken))
        {
            return false;
        }

        var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Interlocked.CompareExchange(ref _renewing, renewing, null) is null)
        {
            _ = RenewAsync(renewing);
        }
        else
        {
            renewing.Dispose();
        }

        return true;
    }

    private async Task RenewAsync(CancellationTokenSource renewing)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, time, renewing.Token);
                var now = time.GetUtcNow();
                try
                {
                    if (!await leases.TryTakeAsync(LeaseName, _holder, now, now + LeaseLength, renewing.Token))
                    {
                        // Another node took the lapsed lease (this one stalled): it leads now; this node asks again at its next pass.
                        return;
                    }
                }
                catch (System.Data.Common.DbException)
                {
                    // The database did not answer this time; the lease runs a few renewals longer than RenewEvery.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.CompareExchange(ref _renewing, null, renewing);
            renewing.Dispose();
        }
    }

    /// <summary>A pass ended: the lease is no longer renewed and lapses unless the next pass takes it again.</summary>
    protected async Task StopRenewingAsync()
    {
        if (Interlocked.Exchange(ref _renewing, null) is { } renewing)
        {
            try
            {
                await renewing.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The renewal already ended on its own.
            }
        }
    }

    private async Task GiveUpAsync()
    {
        await StopRenewingAsync();
        await leases.ReleaseAsync(LeaseName, _holder, CancellationToken.None);
    }

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
                await StopRenewingAsync();
                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await GiveUpAsync();
        }
    }

    /// <summary>
    /// For jobs woken by new work: waits until <paramref name="woken"/> completes (a write queued
    /// something) or <paramref name="interval"/> passes on the injected clock, whichever is first.
    /// </summary>
    protected async Task WaitForWorkAsync(Func<CancellationToken, Task> woken, TimeSpan interval, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(woken);
        await StopRenewingAsync();
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
    protected Task ReleaseAsync() => GiveUpAsync();
}
